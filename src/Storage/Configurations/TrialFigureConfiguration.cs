using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class TrialFigureConfiguration : IEntityTypeConfiguration<TrialFigureRecord>
{
    public void Configure(EntityTypeBuilder<TrialFigureRecord> builder)
    {
        builder.ToTable("trial_figures");
        builder.HasKey(f => new { f.TrialId, f.Name });
        builder.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(f => f.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class CheckpointConfiguration : IEntityTypeConfiguration<CheckpointRecord>
{
    public void Configure(EntityTypeBuilder<CheckpointRecord> builder)
    {
        builder.ToTable("checkpoints");
        builder.HasKey(c => new { c.TrialId, c.Epoch });
        builder.Property(c => c.Sha256).HasMaxLength(64).IsFixedLength();
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SweepRunner.Storage;

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

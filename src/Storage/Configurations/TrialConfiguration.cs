using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class TrialConfiguration : IEntityTypeConfiguration<TrialRecord>
{
    public void Configure(EntityTypeBuilder<TrialRecord> builder)
    {
        builder.ToTable("trials");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.ConfigHash).HasMaxLength(64);
        builder.Property(t => t.LeaseOwner).HasMaxLength(200);
        builder.Property(t => t.Worker).HasMaxLength(200);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<SweepRecord>().WithMany().HasForeignKey(t => t.SweepId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(t => new { t.SweepId, t.ConfigHash }).IsUnique();
        builder.HasIndex(t => new { t.SweepId, t.Number }).IsUnique();
        // Trials of a sweep by status: status counts, filtered listings.
        builder.HasIndex(t => new { t.SweepId, t.Status, t.Number });
        // The lease queue: the oldest pending trial first.
        builder.HasIndex(t => new { t.Status, t.CreatedAt, t.Number });
        // Best trial of a sweep by each final metric.
        builder.HasIndex(t => new { t.SweepId, t.TestTotal });
        builder.HasIndex(t => new { t.SweepId, t.TestRecon });
        builder.HasIndex(t => new { t.SweepId, t.TestKl });
        builder.HasIndex(t => new { t.SweepId, t.IwaeNll });
        builder.HasIndex(t => new { t.SweepId, t.ActiveUnits });
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class TrialLogConfiguration : IEntityTypeConfiguration<TrialLogRecord>
{
    public void Configure(EntityTypeBuilder<TrialLogRecord> builder)
    {
        builder.ToTable("trial_log_lines");
        builder.HasKey(l => l.Sequence);
        builder.Property(l => l.Sequence).ValueGeneratedOnAdd();
        builder.Property(l => l.Source).HasMaxLength(200);
        builder.Property(l => l.Message).HasMaxLength(TrialLogLimits.MaxLineChars);
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(l => l.TrialId).OnDelete(DeleteBehavior.Cascade);
        // A trial's log in order, and the lines after a follower's last.
        builder.HasIndex(l => new { l.TrialId, l.Sequence });
    }
}

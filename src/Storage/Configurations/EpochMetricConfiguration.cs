using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class EpochMetricConfiguration : IEntityTypeConfiguration<EpochMetricRecord>
{
    public void Configure(EntityTypeBuilder<EpochMetricRecord> builder)
    {
        builder.ToTable("epoch_metrics");
        // The key is what makes a replayed epoch report an update of its row rather than a second row.
        builder.HasKey(m => new { m.TrialId, m.Epoch, m.Split });
        // Each provider's own form of a list: double precision[] on PostgreSQL, a JSON array in text on SQLite.
        builder.PrimitiveCollection(m => m.KlPerDimension);
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

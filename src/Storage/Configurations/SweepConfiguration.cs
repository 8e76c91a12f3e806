using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class SweepConfiguration : IEntityTypeConfiguration<SweepRecord>
{
    public void Configure(EntityTypeBuilder<SweepRecord> builder)
    {
        builder.ToTable("sweeps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Method).HasMaxLength(32);
        builder.Property(s => s.MetricName).HasMaxLength(100);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => s.CreatedAt);
    }
}

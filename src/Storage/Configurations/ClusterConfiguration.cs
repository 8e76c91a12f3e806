using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Configurations;

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<ClusterRecord>
{
    public void Configure(EntityTypeBuilder<ClusterRecord> builder)
    {
        builder.ToTable("cluster");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClusterId).HasMaxLength(200);
        builder.Property(c => c.CoordinatorVersion).HasMaxLength(100);
    }
}

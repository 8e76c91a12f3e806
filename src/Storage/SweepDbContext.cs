using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Configurations;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage;

/// <summary>
/// The EF Core model of the sweep store, shared by both providers. Each provider has its own subclass, so that each
/// has its own migrations and its own way of locking the next pending trial.
/// </summary>
public abstract class SweepDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SweepRecord> Sweeps => Set<SweepRecord>();

    public DbSet<TrialRecord> Trials => Set<TrialRecord>();

    public DbSet<EpochMetricRecord> EpochMetrics => Set<EpochMetricRecord>();

    public DbSet<CheckpointRecord> Checkpoints => Set<CheckpointRecord>();

    public DbSet<TrialFigureRecord> TrialFigures => Set<TrialFigureRecord>();

    public DbSet<ClusterRecord> Cluster => Set<ClusterRecord>();

    public DbSet<TrialLogRecord> TrialLogLines => Set<TrialLogRecord>();

    /// <summary>
    /// The oldest pending trial (of <paramref name="sweepId"/> when given) whose <see cref="TrialRecord.RequiredTags"/>
    /// is one of <paramref name="requiredTagsAllowed"/>, tracked and locked against other lessees until the caller's
    /// transaction ends; null when none is pending or all pending ones are locked.
    /// </summary>
    internal abstract Task<TrialRecord?> LockNextPendingTrialAsync(Guid? sweepId, IReadOnlyList<string> requiredTagsAllowed, CancellationToken cancellationToken);

    /// <summary>
    /// The trials of <paramref name="trialIds"/> that are still pending, oldest first, tracked and locked against other
    /// lessees until the caller's transaction ends; those another transaction holds are passed over.
    /// </summary>
    internal abstract Task<List<TrialRecord>> LockPendingTrialsAsync(Guid[] trialIds, CancellationToken cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SweepDbContext).Assembly);
        SnakeCaseColumns.Apply(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<SweepStatus>().HaveConversion<StoredEnum<SweepStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<TrialStatus>().HaveConversion<StoredEnum<TrialStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<MetricGoal>().HaveConversion<StoredEnum<MetricGoal>>().HaveMaxLength(16);
        configurationBuilder.Properties<MetricSplit>().HaveConversion<StoredEnum<MetricSplit>>().HaveMaxLength(16);
        configurationBuilder.Properties<FailureClass>().HaveConversion<StoredEnum<FailureClass>>().HaveMaxLength(16);
        configurationBuilder.Properties<TrialLogLevel>().HaveConversion<StoredEnum<TrialLogLevel>>().HaveMaxLength(16);
    }
}

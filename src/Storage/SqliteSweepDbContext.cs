using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage;

/// <summary>The sweep store in a SQLite file (the embedded mode); its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteSweepDbContext(DbContextOptions<SqliteSweepDbContext> options) : SweepDbContext(options)
{
    // Transactions on SQLite begin IMMEDIATE (Microsoft.Data.Sqlite's default), taking the database's single write
    // lock up front: the caller's transaction already excludes every other lessee, so a plain query is enough.
    internal override Task<TrialRecord?> LockNextPendingTrialAsync(Guid? sweepId, IReadOnlyList<string> requiredTagsAllowed, CancellationToken cancellationToken) =>
        Trials
            .Where(t => t.Status == TrialStatus.Pending && (sweepId == null || t.SweepId == sweepId) && requiredTagsAllowed.Contains(t.RequiredTags))
            .OrderBy(t => t.CreatedAt)
            .ThenBy(t => t.Number)
            .FirstOrDefaultAsync(cancellationToken);

    internal override Task<List<TrialRecord>> LockPendingTrialsAsync(Guid[] trialIds, CancellationToken cancellationToken) =>
        Trials
            .Where(t => trialIds.Contains(t.Id) && t.Status == TrialStatus.Pending)
            .OrderBy(t => t.CreatedAt)
            .ThenBy(t => t.Number)
            .ToListAsync(cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite keeps timestamps as text without a kind; every timestamp written is UTC, so read them back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value, stored => DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}

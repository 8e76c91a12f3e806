using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>Reads trials (one, a page, the best of a sweep) and ends them under optimistic concurrency.</summary>
public sealed class TrialStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    public async Task<TrialRecord?> GetAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken);
    }

    /// <summary>The ids of the trials whose id starts with <paramref name="prefix"/> (a short id), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> FindIdsAsync(IdPrefix prefix, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await prefix.MatchAsync(db.Trials.Select(t => t.Id), limit, cancellationToken);
    }

    /// <summary>How many of the sweep's pending trials require worker tags, by their <see cref="TrialRecord.RequiredTags"/>.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountPendingByRequiredTagsAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials
            .Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Pending && t.RequiredTags != "")
            .GroupBy(t => t.RequiredTags)
            .Select(group => new { Tags = group.Key, Count = group.Count() })
            .ToDictionaryAsync(group => group.Tags, group => group.Count, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>A page of the sweep's trials in number order, filtered by status and worker when asked.</summary>
    public async Task<TrialPage> ListAsync(TrialQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, TrialQuery.MaxLimit, nameof(query));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var trials = OfSweep(db, query.SweepId, query.Statuses).Where(t => t.Number > query.AfterNumber);
        if (query.Worker is { } worker) trials = trials.Where(t => t.Worker == worker);

        // One row past the page tells whether another page follows.
        var rows = await trials.OrderBy(t => t.Number).Take(query.Limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= query.Limit) return new TrialPage(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new TrialPage(rows, rows[^1].Number);
    }

    /// <summary>How many of the sweep's trials are in <paramref name="statuses"/> (all of them when null).</summary>
    public async Task<int> CountAsync(Guid sweepId, IReadOnlyCollection<TrialStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OfSweep(db, sweepId, statuses).CountAsync(cancellationToken);
    }

    /// <summary>All the sweep's trials in number order, read a page (<see cref="TrialQuery.MaxLimit"/>) at a time.</summary>
    public async Task<IReadOnlyList<TrialRecord>> ListAllAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        var trials = new List<TrialRecord>();
        int after = 0;
        do
        {
            var page = await ListAsync(new TrialQuery(sweepId) { AfterNumber = after, Limit = TrialQuery.MaxLimit }, cancellationToken);
            trials.AddRange(page.Trials);
            after = page.NextAfterNumber ?? 0;
        }
        while (after > 0);
        return trials;
    }

    /// <summary>The sweep's trial with the lowest or highest <paramref name="metric"/> (ties: the lower number); null when none has it.</summary>
    public async Task<TrialRecord?> BestAsync(Guid sweepId, TrialMetric metric, MetricGoal goal, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Ranked(db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId), metric, goal).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The sweep's <paramref name="count"/> best trials by <paramref name="metric"/>, best first (ties: the lower number); only trials that have it.</summary>
    public async Task<IReadOnlyList<TrialRecord>> BestOfAsync(Guid sweepId, TrialMetric metric, MetricGoal goal, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Ranked(db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId), metric, goal).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A page of the sweep's trials sorted by a column, in the database: nulls last in either order, ties by number (so
    /// that pages at consecutive offsets neither skip nor repeat a trial), with how many trials match the statuses.
    /// </summary>
    public async Task<SortedTrialPage> ListSortedAsync(TrialSortQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, TrialQuery.MaxLimit, nameof(query));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var trials = OfSweep(db, query.SweepId, query.Statuses);
        int total = await trials.CountAsync(cancellationToken);
        bool descending = query.Descending;
        var sorted = query.Column switch
        {
            TrialSortColumn.Number => Sort(trials, t => t.Number, descending),
            TrialSortColumn.Status => Sort(trials, t => t.Status, descending),
            TrialSortColumn.Epoch => Sort(trials, t => t.CurrentEpoch, descending),
            TrialSortColumn.Attempt => Sort(trials, t => t.Attempt, descending),
            TrialSortColumn.Worker => Sort(trials, t => t.Worker, descending),
            TrialSortColumn.TestTotal => Sort(trials, t => t.TestTotal, descending),
            TrialSortColumn.TestRecon => Sort(trials, t => t.TestRecon, descending),
            TrialSortColumn.TestKl => Sort(trials, t => t.TestKl, descending),
            TrialSortColumn.IwaeNll => Sort(trials, t => t.IwaeNll, descending),
            TrialSortColumn.ActiveUnits => Sort(trials, t => t.ActiveUnits, descending),
            TrialSortColumn.CreatedAt => Sort(trials, t => t.CreatedAt, descending),
            TrialSortColumn.StartedAt => Sort(trials, t => t.StartedAt, descending),
            TrialSortColumn.FinishedAt => Sort(trials, t => t.FinishedAt, descending),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Column, "unknown sort column"),
        };
        var page = await sorted.Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return new SortedTrialPage(page, total);
    }

    /// <summary>The id, number and config of each of the sweep's trials in <paramref name="statuses"/> (all when null), in number order.</summary>
    public async Task<IReadOnlyList<TrialConfigRow>> ListConfigsAsync(Guid sweepId, IReadOnlyCollection<TrialStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OfSweep(db, sweepId, statuses).OrderBy(t => t.Number)
            .Select(t => new TrialConfigRow(t.Id, t.Number, t.ConfigJson))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The sweep's trials among <paramref name="trialIds"/>, in number order; ids of no trial of the sweep are left out.</summary>
    public async Task<IReadOnlyList<TrialRecord>> ListByIdsAsync(Guid sweepId, IReadOnlyCollection<Guid> trialIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        var ids = trialIds.Distinct().ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId && ids.Contains(t.Id)).OrderBy(t => t.Number).ToListAsync(cancellationToken);
    }

    /// <summary>The sweep's trials that have final metrics (a test loss), in number order.</summary>
    public async Task<IReadOnlyList<TrialRecord>> ListWithFinalMetricsAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId && t.TestTotal != null).OrderBy(t => t.Number).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the trial with <paramref name="outcome"/> if it is still at <paramref name="expectedVersion"/>: any outcome
    /// for a running trial (its lease ends), only cancellation for a pending one.
    /// </summary>
    public Task<TrialRecord> EndAsync(Guid trialId, int expectedVersion, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return TrialRows.ChangeAsync(contexts, trialId, trial =>
        {
            if (trial.Version != expectedVersion) throw new ConcurrencyConflictException("trial", trialId, expectedVersion);
            TrialLifecycle.End(trial, outcome, clock.StorageNow());
        }, () => new ConcurrencyConflictException("trial", trialId, expectedVersion), cancellationToken);
    }

    private static IQueryable<TrialRecord> OfSweep(SweepDbContext db, Guid sweepId, IReadOnlyCollection<TrialStatus>? statuses)
    {
        var trials = db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId);
        if (statuses is not { Count: > 0 }) return trials;
        var wanted = statuses.ToArray();
        return trials.Where(t => wanted.Contains(t.Status));
    }

    private static IOrderedQueryable<TrialRecord> Ranked(IQueryable<TrialRecord> trials, TrialMetric metric, MetricGoal goal) => metric switch
    {
        TrialMetric.TestTotal => Rank(trials, t => t.TestTotal, goal),
        TrialMetric.TestRecon => Rank(trials, t => t.TestRecon, goal),
        TrialMetric.TestKl => Rank(trials, t => t.TestKl, goal),
        TrialMetric.IwaeNll => Rank(trials, t => t.IwaeNll, goal),
        TrialMetric.ActiveUnits => Rank(trials, t => t.ActiveUnits, goal),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    // Both sides of the ORDER BY are plain columns, so the (sweep_id, metric) indexes serve it.
    private static IOrderedQueryable<TrialRecord> Rank<TValue>(IQueryable<TrialRecord> trials, Expression<Func<TrialRecord, TValue?>> metric, MetricGoal goal)
        where TValue : struct
    {
        var hasValue = Expression.Lambda<Func<TrialRecord, bool>>(
            Expression.NotEqual(metric.Body, Expression.Constant(null, typeof(TValue?))), metric.Parameters);
        var withValue = trials.Where(hasValue);
        var ordered = goal == MetricGoal.Minimize ? withValue.OrderBy(metric) : withValue.OrderByDescending(metric);
        return ordered.ThenBy(t => t.Number);
    }

    // Nulls last in either order (ORDER BY column IS NULL first), which PostgreSQL and SQLite would otherwise place
    // differently; then the number, unique within a sweep, so that the order is total.
    private static IOrderedQueryable<TrialRecord> Sort<TValue>(IQueryable<TrialRecord> trials, Expression<Func<TrialRecord, TValue>> column, bool descending)
    {
        bool nullable = !typeof(TValue).IsValueType || Nullable.GetUnderlyingType(typeof(TValue)) is not null;
        var ordered = nullable
            ? trials.OrderBy(Expression.Lambda<Func<TrialRecord, bool>>(Expression.Equal(column.Body, Expression.Constant(null, typeof(TValue))), column.Parameters))
            : null;
        ordered = descending
            ? ordered?.ThenByDescending(column) ?? trials.OrderByDescending(column)
            : ordered?.ThenBy(column) ?? trials.OrderBy(column);
        return ordered.ThenBy(t => t.Number);
    }
}

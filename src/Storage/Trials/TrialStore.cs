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
        var trials = db.Trials.AsNoTracking().Where(t => t.SweepId == query.SweepId && t.Number > query.AfterNumber);
        if (query.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToArray();
            trials = trials.Where(t => wanted.Contains(t.Status));
        }
        if (query.Worker is { } worker) trials = trials.Where(t => t.Worker == worker);

        // One row past the page tells whether another page follows.
        var rows = await trials.OrderBy(t => t.Number).Take(query.Limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= query.Limit) return new TrialPage(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new TrialPage(rows, rows[^1].Number);
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
        var trials = db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId);
        var ranked = metric switch
        {
            TrialMetric.TestTotal => Rank(trials, t => t.TestTotal, goal),
            TrialMetric.TestRecon => Rank(trials, t => t.TestRecon, goal),
            TrialMetric.TestKl => Rank(trials, t => t.TestKl, goal),
            TrialMetric.IwaeNll => Rank(trials, t => t.IwaeNll, goal),
            TrialMetric.ActiveUnits => Rank(trials, t => t.ActiveUnits, goal),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
        };
        return await ranked.FirstOrDefaultAsync(cancellationToken);
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
}

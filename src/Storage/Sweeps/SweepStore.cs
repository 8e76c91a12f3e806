using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Sweeps;

/// <summary>Sweeps and the trials they are made of: create, extend, report on, and move through their statuses.</summary>
public sealed class SweepStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Creates a pending sweep with its trials in one transaction (all or nothing). Trials with the same config hash
    /// are created once, numbered in the order given; those beyond the sweep's run cap are left out.
    /// </summary>
    public async Task<SweepRecord> CreateAsync(NewSweep sweep, IEnumerable<NewTrial> trials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweep.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweep.Method);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweep.MetricName);
        ArgumentNullException.ThrowIfNull(sweep.SpecYaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweep.SpecCanonical);
        if (sweep.RunCap is { } cap) ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1, nameof(sweep));
        if (sweep.TrialTimeout is { } timeout) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(sweep));
        var candidates = DistinctByHash(trials);

        var now = clock.StorageNow();
        var record = new SweepRecord
        {
            Id = RecordIds.New(),
            Name = sweep.Name,
            SpecYaml = sweep.SpecYaml,
            SpecCanonical = sweep.SpecCanonical,
            Method = sweep.Method,
            MetricName = sweep.MetricName,
            MetricGoal = sweep.MetricGoal,
            Status = SweepStatus.Pending,
            RunCap = sweep.RunCap,
            TrialTimeout = sweep.TrialTimeout,
            CreatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Sweeps.Add(record);
        db.Trials.AddRange(Number(record, WithinCap(record, candidates), now));
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Adds to a pending or running sweep the trials whose config hash it does not have yet, up to its run cap, and
    /// returns those. Safe to call again with the same trials, and from several callers at once: the cap holds
    /// whatever they propose.
    /// </summary>
    public async Task<IReadOnlyList<TrialRecord>> AddTrialsAsync(Guid sweepId, IEnumerable<NewTrial> trials, CancellationToken cancellationToken = default)
    {
        var candidates = DistinctByHash(trials);
        var hashes = candidates.Select(trial => trial.ConfigHash).ToList();
        return await contexts.InTransactionAsync<IReadOnlyList<TrialRecord>>(async (db, token) =>
        {
            await LockAsync(db, sweepId, token);
            var sweep = await db.Sweeps.SingleAsync(s => s.Id == sweepId, token);
            if (sweep.Status is not (SweepStatus.Pending or SweepStatus.Running))
                throw new InvalidOperationException($"sweep {sweepId} is {sweep.Status.LowerName()}; it takes no more trials");
            var existing = (await db.Trials.Where(t => t.SweepId == sweepId && hashes.Contains(t.ConfigHash)).Select(t => t.ConfigHash).ToListAsync(token))
                .ToHashSet(StringComparer.Ordinal);
            var added = Number(sweep, WithinCap(sweep, candidates.Where(trial => !existing.Contains(trial.ConfigHash))), clock.StorageNow());
            db.Trials.AddRange(added);
            await db.SaveChangesAsync(token);
            return added;
        }, cancellationToken);
    }

    public async Task<SweepRecord?> GetAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, cancellationToken);
    }

    /// <summary>The ids of the sweeps whose id starts with <paramref name="prefix"/> (a short id), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> FindIdsAsync(IdPrefix prefix, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await prefix.MatchAsync(db.Sweeps.Select(s => s.Id), limit, cancellationToken);
    }

    /// <summary>
    /// Stores the canonical form of a sweep stored without one (before the column existed); a sweep that has one keeps
    /// it. Returns the canonical form the sweep has now.
    /// </summary>
    public async Task<string> SetSpecCanonicalAsync(Guid sweepId, string specCanonical, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specCanonical);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sweeps.Where(s => s.Id == sweepId && s.SpecCanonical == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SpecCanonical, specCanonical), cancellationToken);
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.SpecCanonical).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("sweep", sweepId);
    }

    /// <summary>
    /// Stores the run cap of a sweep stored without one (before the column existed); a sweep that has one keeps it.
    /// Returns the run cap the sweep has now.
    /// </summary>
    public async Task<int> SetRunCapAsync(Guid sweepId, int runCap, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runCap, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sweeps.Where(s => s.Id == sweepId && s.RunCap == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RunCap, runCap), cancellationToken);
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.RunCap).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("sweep", sweepId);
    }

    /// <summary>The sweeps, newest first, only those in <paramref name="statuses"/> when given.</summary>
    public async Task<IReadOnlyList<SweepRecord>> ListAsync(IReadOnlyCollection<SweepStatus>? statuses = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sweeps = db.Sweeps.AsNoTracking();
        if (statuses is { Count: > 0 })
        {
            var wanted = statuses.ToArray();
            sweeps = sweeps.Where(s => wanted.Contains(s.Status));
        }
        return await sweeps.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The sweep and its trial counts by status; null when there is no such sweep.</summary>
    public async Task<SweepStatusReport?> GetStatusAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, cancellationToken);
        if (sweep is null) return null;
        var counts = await db.Trials.Where(t => t.SweepId == sweepId)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new SweepStatusReport(sweep, Enum.GetValues<TrialStatus>().ToDictionary(status => status, counts.GetValueOrDefault));
    }

    /// <summary>
    /// The trial summary of each of <paramref name="sweepIds"/> (a listing's sweeps) in one grouped query, whatever
    /// their number; a sweep without trials has <see cref="SweepTrialSummary.Empty"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, SweepTrialSummary>> SummarizeTrialsAsync(IReadOnlyCollection<Guid> sweepIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepIds);
        var ids = sweepIds.Distinct().ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = await db.Trials.Where(t => ids.Contains(t.SweepId))
            .GroupBy(t => new { t.SweepId, t.Status })
            .Select(g => new
            {
                g.Key.SweepId,
                g.Key.Status,
                Count = g.Count(),
                FirstStartedAt = g.Min(t => t.StartedAt),
                LowestTestTotal = g.Min(t => t.TestTotal),
                HighestTestTotal = g.Max(t => t.TestTotal),
                LowestTestRecon = g.Min(t => t.TestRecon),
                HighestTestRecon = g.Max(t => t.TestRecon),
                LowestTestKl = g.Min(t => t.TestKl),
                HighestTestKl = g.Max(t => t.TestKl),
                LowestIwaeNll = g.Min(t => t.IwaeNll),
                HighestIwaeNll = g.Max(t => t.IwaeNll),
                LowestActiveUnits = g.Min(t => t.ActiveUnits),
                HighestActiveUnits = g.Max(t => t.ActiveUnits),
            })
            .ToListAsync(cancellationToken);

        // Status groups folded into one summary per sweep: counts side by side, starts and ranges over all statuses.
        return ids.ToDictionary(id => id, id =>
        {
            var ofSweep = groups.Where(g => g.SweepId == id).ToList();
            if (ofSweep.Count == 0) return SweepTrialSummary.Empty;
            var counts = Enum.GetValues<TrialStatus>().ToDictionary(status => status, status => ofSweep.Where(g => g.Status == status).Sum(g => g.Count));
            var ranges = new Dictionary<TrialMetric, (double?, double?)>
            {
                [TrialMetric.TestTotal] = (ofSweep.Min(g => g.LowestTestTotal), ofSweep.Max(g => g.HighestTestTotal)),
                [TrialMetric.TestRecon] = (ofSweep.Min(g => g.LowestTestRecon), ofSweep.Max(g => g.HighestTestRecon)),
                [TrialMetric.TestKl] = (ofSweep.Min(g => g.LowestTestKl), ofSweep.Max(g => g.HighestTestKl)),
                [TrialMetric.IwaeNll] = (ofSweep.Min(g => g.LowestIwaeNll), ofSweep.Max(g => g.HighestIwaeNll)),
                [TrialMetric.ActiveUnits] = (ofSweep.Min(g => g.LowestActiveUnits), ofSweep.Max(g => g.HighestActiveUnits)),
            };
            return new SweepTrialSummary(counts, ofSweep.Min(g => g.FirstStartedAt), ranges);
        });
    }

    /// <summary>
    /// Moves the sweep to <paramref name="status"/> if it is still at <paramref name="expectedVersion"/>. Cancelling or
    /// failing a sweep cancels its open trials in the same transaction (their workers' leases are then lost); completing
    /// it requires that none is open, checked under the sweep's lock, so that no trial added meanwhile is left open.
    /// </summary>
    public async Task<SweepRecord> TransitionAsync(Guid sweepId, int expectedVersion, SweepStatus status, CancellationToken cancellationToken = default)
    {
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            await LockAsync(db, sweepId, token);
            var sweep = await db.Sweeps.SingleOrDefaultAsync(s => s.Id == sweepId, token) ?? throw new RecordNotFoundException("sweep", sweepId);
            if (sweep.Version != expectedVersion) throw new ConcurrencyConflictException("sweep", sweepId, expectedVersion);
            SweepLifecycle.Check(sweep, status);

            var now = clock.StorageNow();
            var openTrials = db.Trials.Where(t => t.SweepId == sweepId && TrialLifecycle.Open.Contains(t.Status));
            if (status == SweepStatus.Completed && await openTrials.CountAsync(token) is > 0 and var open)
                throw new InvalidOperationException($"sweep {sweepId} has {open} trials still pending or running; it cannot be completed");
            if (status is SweepStatus.Cancelled or SweepStatus.Failed)
            {
                foreach (var trial in await openTrials.Select(t => new { t.Id, t.Attempt }).ToListAsync(token))
                    db.AddKept(trial.Id, trial.Attempt, TrialLogLevel.Warning, TrialLogLines.CoordinatorSource, $"attempt {trial.Attempt} cancelled: the sweep is {status.LowerName()}", now);
                await openTrials.ExecuteUpdateAsync(s => TrialLifecycle.EndOpen(s, TrialOutcome.Cancelled(), now), token);
            }

            SweepLifecycle.Apply(sweep, status, now);
            try
            {
                await db.SaveChangesAsync(token);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConcurrencyConflictException("sweep", sweepId, expectedVersion);
            }
            return sweep;
        }, cancellationToken);
    }

    /// <summary>
    /// Re-opens an ended sweep (cancelled, completed or failed) if it is still at <paramref name="expectedVersion"/>: it
    /// runs again, and its trials in <paramref name="trialStatuses"/> (only those numbered <paramref name="trialNumbers"/>
    /// when given) go back in the queue, each resuming from its last checkpoint (<c>TrialLifecycle.Reopen</c>). The one
    /// way back for a sweep, whether it goes on where it was cancelled or runs failed trials again.
    /// </summary>
    public async Task<ReopenedSweep> ReopenAsync(
        Guid sweepId, int expectedVersion, IReadOnlyCollection<TrialStatus> trialStatuses, IReadOnlyCollection<int>? trialNumbers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialStatuses);
        if (trialStatuses.Any(TrialLifecycle.Open.Contains)) throw new ArgumentException("only ended trials go back in the queue", nameof(trialStatuses));
        var statuses = trialStatuses.ToArray();
        var numbers = trialNumbers?.ToArray();
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            await LockAsync(db, sweepId, token);
            var sweep = await db.Sweeps.SingleOrDefaultAsync(s => s.Id == sweepId, token) ?? throw new RecordNotFoundException("sweep", sweepId);
            if (sweep.Version != expectedVersion) throw new ConcurrencyConflictException("sweep", sweepId, expectedVersion);
            SweepLifecycle.Reopen(sweep);

            var reopened = db.Trials.Where(t => t.SweepId == sweepId && statuses.Contains(t.Status));
            if (numbers is not null) reopened = reopened.Where(t => numbers.Contains(t.Number));
            var ids = await reopened.Select(t => t.Id).ToListAsync(token);
            var now = clock.StorageNow();
            await db.Trials.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(s => TrialLifecycle.Reopen(s, now), token);
            try
            {
                await db.SaveChangesAsync(token);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConcurrencyConflictException("sweep", sweepId, expectedVersion);
            }
            return new ReopenedSweep(sweep, ids);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes an ended sweep (completed, failed or cancelled) with everything stored for it: its trials and, through
    /// their foreign keys (on delete cascade), every row that belongs to a trial — epoch metrics, checkpoints, figures,
    /// and any table added later the same way. Refused while the sweep is pending or running or has a trial that is:
    /// it must be cancelled first. A worker still training one of its trials finds its lease gone: its writes are
    /// refused and store nothing. PostgreSQL frees the space of the large values in the background (autovacuum);
    /// SQLite reuses the freed pages for later writes (the file does not shrink).
    /// </summary>
    public async Task<DeletedSweep> DeleteAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            await LockAsync(db, sweepId, token);
            var sweep = await db.Sweeps.AsNoTracking().SingleAsync(s => s.Id == sweepId, token);
            int open = await db.Trials.CountAsync(t => t.SweepId == sweepId && TrialLifecycle.Open.Contains(t.Status), token);
            if (!SweepLifecycle.Ended.Contains(sweep.Status) || open > 0)
                throw new InvalidOperationException($"sweep {sweepId} is {sweep.Status.LowerName()}{(open > 0 ? $" with {open} trials pending or running" : "")}; cancel it first");

            int trials = await db.Trials.CountAsync(t => t.SweepId == sweepId, token);
            long bytes = await db.Checkpoints.Where(c => db.Trials.Any(t => t.Id == c.TrialId && t.SweepId == sweepId)).SumAsync(c => c.SizeBytes, token);
            await db.Sweeps.Where(s => s.Id == sweepId).ExecuteDeleteAsync(token);
            return new DeletedSweep(sweepId, sweep.Name, trials, bytes);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes the sweep's row, which takes its row lock (PostgreSQL) or the database's write lock (SQLite) until the
    /// transaction ends: adders of trials and status changes of one sweep queue up here, so that two adders cannot both
    /// take a number, a hash or the last place under the cap, and a sweep cannot complete while a trial is being added.
    /// </summary>
    internal static async Task LockAsync(SweepDbContext db, Guid sweepId, CancellationToken cancellationToken)
    {
        int locked = await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(s => s.SetProperty(x => x.TrialCount, x => x.TrialCount), cancellationToken);
        if (locked == 0) throw new RecordNotFoundException("sweep", sweepId);
    }

    /// <summary>The first of <paramref name="trials"/> that fit under the sweep's run cap, after the trials it has.</summary>
    private static IEnumerable<NewTrial> WithinCap(SweepRecord sweep, IEnumerable<NewTrial> trials) =>
        sweep.RunCap is { } cap ? trials.Take(Math.Max(0, cap - sweep.TrialCount)) : trials;

    private static List<NewTrial> DistinctByHash(IEnumerable<NewTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var distinct = trials.DistinctBy(trial => trial.ConfigHash, StringComparer.Ordinal).ToList();
        foreach (var trial in distinct)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(trial.ConfigJson);
            ArgumentException.ThrowIfNullOrWhiteSpace(trial.ConfigHash);
            if (trial.ConfigHash.Length > 64) throw new ArgumentException($"config hash {trial.ConfigHash} is longer than 64 characters", nameof(trials));
            if (trial.RequiredTags?.FirstOrDefault(tag => !WorkerTags.IsValid(tag)) is { } bad) throw new ArgumentException($"required tag `{bad}` is not {WorkerTags.Expected}", nameof(trials));
        }
        return distinct;
    }

    // Numbers the new trials after the sweep's last one and counts them in.
    private static List<TrialRecord> Number(SweepRecord sweep, IEnumerable<NewTrial> trials, DateTime now) =>
        [.. trials.Select(trial => new TrialRecord
        {
            Id = RecordIds.New(),
            SweepId = sweep.Id,
            Number = ++sweep.TrialCount,
            ConfigJson = trial.ConfigJson,
            ConfigHash = trial.ConfigHash,
            RequiredTags = WorkerTags.Join(trial.RequiredTags ?? []),
            Status = TrialStatus.Pending,
            Attempt = 1,
            CreatedAt = now,
            UpdatedAt = now,
        })];
}

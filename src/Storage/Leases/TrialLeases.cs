using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Leases;

/// <summary>
/// The work queue: workers lease the oldest pending trial, renew the lease while they train, and end the trial under
/// it; leases that run out put their trial back in the queue.
/// </summary>
public sealed class TrialLeases(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Leases the oldest pending trial (of <paramref name="sweepId"/> when given) that a worker carrying
    /// <paramref name="tags"/> may train (each tag it requires among them; none: only trials that require none) to
    /// <paramref name="worker"/> for <paramref name="duration"/>; null when none is pending. Under concurrency each
    /// trial goes to exactly one caller.
    /// </summary>
    public async Task<TrialRecord?> LeaseNextAsync(
        string worker, TimeSpan duration, Guid? sweepId = null, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var allowed = WorkerTags.Subsets(tags ?? []);

        return await contexts.InTransactionAsync<TrialRecord?>(async (db, token) =>
        {
            var trial = await db.LockNextPendingTrialAsync(sweepId, allowed, token);
            if (trial is null) return null;
            TrialLifecycle.Lease(trial, worker, duration, clock.StorageNow());
            await db.SaveChangesAsync(token);
            return trial;
        }, cancellationToken);
    }

    /// <summary>
    /// Leases the oldest pending trial as <see cref="LeaseNextAsync"/> does and, in the same transaction, when
    /// <paramref name="packing"/> says its sweep packs, the trial has a packing key and no stored checkpoint (a trial
    /// that resumes trains alone), up to <paramref name="maxTrials"/> − 1 more pending trials of that sweep with the same
    /// key and no checkpoint, oldest first, passing over those another lessee is taking. Each is leased as if alone: its
    /// own lease id and expiry. Empty when none is pending; under concurrency each trial goes to exactly one caller.
    /// </summary>
    public async Task<IReadOnlyList<TrialRecord>> LeaseGroupAsync(
        string worker, TimeSpan duration, int maxTrials, TrialPackingRule packing, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrials, 1);
        ArgumentNullException.ThrowIfNull(packing);
        var allowed = WorkerTags.Subsets(tags ?? []);

        return await contexts.InTransactionAsync<IReadOnlyList<TrialRecord>>(async (db, token) =>
        {
            var first = await db.LockNextPendingTrialAsync(null, allowed, token);
            if (first is null) return [];
            List<TrialRecord> group = [first];
            if (maxTrials > 1 && await PackingKeyAsync(db, first, packing, token) is { } key)
            {
                // Only the ids are chosen here (the key is the caller's, computed from each config); the lock re-checks
                // that each is still pending and passes over those another transaction holds.
                var candidates = await db.Trials
                    .Where(t => t.SweepId == first.SweepId && t.Id != first.Id && t.Status == TrialStatus.Pending
                        && allowed.Contains(t.RequiredTags) && !db.Checkpoints.Any(c => c.TrialId == t.Id))
                    .OrderBy(t => t.CreatedAt)
                    .ThenBy(t => t.Number)
                    .Select(t => new { t.Id, t.ConfigJson })
                    .ToListAsync(token);
                Guid[] packed = [.. candidates.Where(c => packing.KeyOf(c.ConfigJson) == key).Take(maxTrials - 1).Select(c => c.Id)];
                if (packed.Length > 0) group.AddRange(await db.LockPendingTrialsAsync(packed, token));
            }

            var now = clock.StorageNow();
            foreach (var trial in group) TrialLifecycle.Lease(trial, worker, duration, now);
            await db.SaveChangesAsync(token);
            return group;
        }, cancellationToken);
    }

    /// <summary>
    /// Extends the lease to <paramref name="duration"/> from now while the trial still runs under it, even when its
    /// expiry has passed: only <see cref="ExpireAsync"/> ends a lease (a worker cut off by an outage keeps its trial
    /// if no expiry pass ended the lease meanwhile). Returns the new expiry.
    /// </summary>
    public async Task<DateTime> RenewAsync(Guid trialId, Guid leaseId, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = clock.StorageNow();
        var expiresAt = now + duration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        int renewed = await db.Trials
            .Where(t => t.Id == trialId && t.LeaseId == leaseId && t.Status == TrialStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseExpiresAt, expiresAt).SetProperty(t => t.UpdatedAt, now), cancellationToken);
        return renewed == 1 ? expiresAt : throw new LeaseLostException(trialId, leaseId);
    }

    /// <summary>Whether the trial still runs under <paramref name="leaseId"/> (false for an unknown trial).</summary>
    public async Task<bool> IsHeldAsync(Guid trialId, Guid leaseId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.AnyAsync(t => t.Id == trialId && t.LeaseId == leaseId && t.Status == TrialStatus.Running, cancellationToken);
    }

    /// <summary>How many running trials' leases have run out: what <see cref="ExpireAsync"/> would end now.</summary>
    public async Task<int> CountLapsedAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.StorageNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Trials.CountAsync(t => t.Status == TrialStatus.Running && t.LeaseExpiresAt < now, cancellationToken);
    }

    /// <summary>Ends the trial with <paramref name="outcome"/> on behalf of the holder of <paramref name="leaseId"/>.</summary>
    public Task<TrialRecord> EndAsync(Guid trialId, Guid leaseId, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return TrialRows.ChangeAsync(contexts, trialId, trial =>
        {
            if (trial.LeaseId != leaseId || trial.Status != TrialStatus.Running) throw new LeaseLostException(trialId, leaseId);
            TrialLifecycle.End(trial, outcome, clock.StorageNow());
        }, () => new LeaseLostException(trialId, leaseId), cancellationToken);
    }

    /// <summary>
    /// Ends the holder's attempt with a failure in training and counts it against the trial's attempts. An error puts
    /// the trial back in the queue (the next attempt resumes from its checkpoint, and <paramref name="reason"/> stays
    /// as its last error) until it has failed <paramref name="maxAttempts"/> times, then fails it. Divergence fails it
    /// at once: training is deterministic, so the same seed from the same checkpoint diverges again.
    /// </summary>
    /// <returns>The trial: failed, or pending on its next attempt.</returns>
    public Task<TrialRecord> FailAttemptAsync(
        Guid trialId, Guid leaseId, FailureClass failureClass, string reason, int maxAttempts, CancellationToken cancellationToken = default)
    {
        if (failureClass is not (FailureClass.Diverged or FailureClass.Error))
            throw new ArgumentOutOfRangeException(nameof(failureClass), failureClass, "only a failure in training ends an attempt under its lease");
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return TrialRows.ChangeAsync(contexts, trialId, (db, trial) =>
        {
            if (trial.LeaseId != leaseId || trial.Status != TrialStatus.Running) throw new LeaseLostException(trialId, leaseId);
            var now = clock.StorageNow();
            int attempt = trial.Attempt;
            trial.ModelFailures++;
            string failed = $"attempt {attempt} failed ({failureClass.LowerName()}, {trial.ModelFailures} of {maxAttempts} failures in training)";
            if (failureClass == FailureClass.Error && trial.ModelFailures < maxAttempts)
            {
                TrialLifecycle.Retry(trial, reason, now);
                db.AddKept(trialId, attempt, TrialLogLevel.Warning, TrialLogLines.CoordinatorSource,
                    $"{failed}: back in the queue as attempt {trial.Attempt}, which resumes from the last checkpoint", now);
            }
            else
            {
                TrialLifecycle.End(trial, TrialOutcome.Failed(failureClass, reason), now);
                string why = failureClass == FailureClass.Diverged ? "divergence is not retried: the same seed from the same checkpoint diverges again" : "no attempts left";
                db.AddKept(trialId, attempt, TrialLogLevel.Error, TrialLogLines.CoordinatorSource, $"{failed}: the trial failed ({why})", now);
            }
        }, () => new LeaseLostException(trialId, leaseId), cancellationToken);
    }

    /// <summary>
    /// The coordinator's periodic pass over running trials. First it fails (class timeout) every trial whose current
    /// attempt has run longer than its limit: its sweep's own (<see cref="SweepRecord.TrialTimeout"/>), else
    /// <paramref name="trialTimeout"/> (the coordinator's; null: none); its worker finds the lease lost at its next
    /// heartbeat. Then it ends every lease that has run out, an infrastructure loss: the trial goes back to the queue
    /// on its next attempt, or fails (class infrastructure) on its <paramref name="infrastructureAttempts"/>-th loss.
    /// Losses never count against the attempts of <see cref="FailAttemptAsync"/>.
    /// </summary>
    public async Task<ExpiredLeases> ExpireAsync(int infrastructureAttempts, TimeSpan? trialTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(infrastructureAttempts, 1);
        if (trialTimeout is { } limit) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(trialTimeout));
        var now = clock.StorageNow();
        var lost = TrialOutcome.Failed(FailureClass.Infrastructure,
            $"worker lost or unreachable: its lease expired on {infrastructureAttempts} of {infrastructureAttempts} infrastructure attempts");
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            // Trial by trial (an expiry pass ends few): each change re-checks its condition on the row, and its log
            // line commits with it, so the log tells of exactly the changes made.
            var running = db.Trials.Where(t => t.Status == TrialStatus.Running);
            int timedOut = await TimeOutAsync(db, trialTimeout, now, token);

            int failed = 0, requeued = 0;
            var expired = running.Where(t => t.LeaseExpiresAt < now);
            foreach (var trial in await expired.Select(t => new { t.Id, t.Attempt, t.InfrastructureLosses, t.LeaseOwner }).ToListAsync(token))
            {
                var lapsed = expired.Where(t => t.Id == trial.Id && t.InfrastructureLosses == trial.InfrastructureLosses);
                int losses = trial.InfrastructureLosses + 1;
                string what = $"attempt {trial.Attempt} lost: the lease of {trial.LeaseOwner ?? "its worker"} expired (worker lost or unreachable; {losses} of {infrastructureAttempts} infrastructure losses)";
                if (losses >= infrastructureAttempts)
                {
                    if (await lapsed.ExecuteUpdateAsync(s =>
                        {
                            TrialLifecycle.EndOpen(s, lost, now);
                            s.SetProperty(t => t.InfrastructureLosses, t => t.InfrastructureLosses + 1);
                        }, token) == 0) continue;
                    failed++;
                    db.AddKept(trial.Id, trial.Attempt, TrialLogLevel.Error, TrialLogLines.CoordinatorSource, $"{what}: the trial failed (infrastructure)", now);
                }
                else
                {
                    if (await lapsed.ExecuteUpdateAsync(s => TrialLifecycle.RequeueLost(s, now), token) == 0) continue;
                    requeued++;
                    db.AddKept(trial.Id, trial.Attempt, TrialLogLevel.Warning, TrialLogLines.CoordinatorSource,
                        $"{what}: back in the queue as attempt {trial.Attempt + 1}, which resumes from the last checkpoint", now);
                }
            }
            await db.SaveChangesAsync(token);
            return new ExpiredLeases(requeued, failed, timedOut);
        }, cancellationToken);
    }

    /// <summary>The key <paramref name="trial"/> packs under: null when its sweep does not pack, it has no key, or it has a checkpoint to resume from.</summary>
    private static async Task<string?> PackingKeyAsync(SweepDbContext db, TrialRecord trial, TrialPackingRule packing, CancellationToken cancellationToken)
    {
        if (await db.Checkpoints.AnyAsync(c => c.TrialId == trial.Id, cancellationToken)) return null;
        var spec = await db.Sweeps.Where(s => s.Id == trial.SweepId).Select(s => s.SpecCanonical).SingleOrDefaultAsync(cancellationToken);
        return packing.SweepPacks(spec) ? packing.KeyOf(trial.ConfigJson) : null;
    }

    /// <summary>
    /// Fails the running attempts that have run past their limit, the sweep's or else <paramref name="coordinatorTimeout"/>,
    /// with a reason naming the limit and where it comes from. Few trials run at once, so their limits are compared
    /// here rather than in SQL (interval arithmetic differs between the providers); each is then ended by its lease id,
    /// so that an attempt that moved on meanwhile is left alone.
    /// </summary>
    private static async Task<int> TimeOutAsync(SweepDbContext db, TimeSpan? coordinatorTimeout, DateTime now, CancellationToken cancellationToken)
    {
        bool coordinatorLimit = coordinatorTimeout is not null;
        var attempts = await db.Trials.Where(t => t.Status == TrialStatus.Running && t.LeasedAt != null && t.LeaseId != null)
            .Join(db.Sweeps, t => t.SweepId, s => s.Id, (t, s) => new { t.Id, t.Attempt, t.LeaseId, t.LeasedAt, s.TrialTimeout })
            .Where(a => a.TrialTimeout != null || coordinatorLimit)
            .ToListAsync(cancellationToken);
        int timedOut = 0;
        foreach (var attempt in attempts)
        {
            var (limit, source) = attempt.TrialTimeout is { } own ? (own, "the sweep's trial_timeout") : (coordinatorTimeout!.Value, "the coordinator's TrialTimeout");
            if (now - attempt.LeasedAt!.Value <= limit) continue;
            var outcome = TrialOutcome.Failed(FailureClass.Timeout, $"timed out: the attempt ran longer than {Duration.Format(limit)} ({source})");
            if (await db.Trials.Where(t => t.Status == TrialStatus.Running && t.LeaseId == attempt.LeaseId)
                    .ExecuteUpdateAsync(s => TrialLifecycle.EndOpen(s, outcome, now), cancellationToken) == 0) continue;
            timedOut++;
            db.AddKept(attempt.Id, attempt.Attempt, TrialLogLevel.Error, TrialLogLines.CoordinatorSource, $"attempt {attempt.Attempt} {outcome.FailureReason}; the trial failed (timeout)", now);
        }
        return timedOut;
    }
}

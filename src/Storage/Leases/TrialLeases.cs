using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
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
    /// Leases the oldest pending trial (of <paramref name="sweepId"/> when given) to <paramref name="worker"/> for
    /// <paramref name="duration"/>; null when none is pending. Under concurrency each trial goes to exactly one caller.
    /// </summary>
    public async Task<TrialRecord?> LeaseNextAsync(string worker, TimeSpan duration, Guid? sweepId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        return await contexts.InTransactionAsync<TrialRecord?>(async (db, token) =>
        {
            var trial = await db.LockNextPendingTrialAsync(sweepId, token);
            if (trial is null) return null;
            TrialLifecycle.Lease(trial, worker, duration, clock.StorageNow());
            await db.SaveChangesAsync(token);
            return trial;
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
    /// Ends every lease that has run out: its trial goes back to pending on its next attempt, or fails when it was on
    /// attempt <paramref name="maxAttempts"/>.
    /// </summary>
    public async Task<ExpiredLeases> ExpireAsync(int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var now = clock.StorageNow();
        string reason = $"lease expired on attempt {maxAttempts} of {maxAttempts}";
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            var expired = db.Trials.Where(t => t.Status == TrialStatus.Running && t.LeaseExpiresAt < now);
            int failed = await expired.Where(t => t.Attempt >= maxAttempts)
                .ExecuteUpdateAsync(s => TrialLifecycle.EndOpen(s, TrialStatus.Failed, reason, now), token);
            int requeued = await expired.ExecuteUpdateAsync(s => TrialLifecycle.Requeue(s, now), token);
            return new ExpiredLeases(requeued, failed);
        }, cancellationToken);
    }
}

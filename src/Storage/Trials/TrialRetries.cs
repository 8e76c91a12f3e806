using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Storage.Trials;

/// <summary>What a retry did: the trials queued again, and whether their finished sweep runs again.</summary>
public sealed record RetriedTrials(SweepRecord Sweep, IReadOnlyList<TrialRecord> Trials, bool SweepReopened);

/// <summary>
/// A user's retry of a sweep's trials: they go back in the queue on their next attempt, which resumes from their last
/// checkpoint, with fresh retry budgets; a sweep that had finished runs again until they end.
/// </summary>
public sealed class TrialRetries(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>The statuses a trial chosen by number may be retried from: a completed trial has its result.</summary>
    public static readonly TrialStatus[] Retryable = [TrialStatus.Failed, TrialStatus.Cancelled, TrialStatus.Stopped];

    /// <summary>
    /// Queues again the sweep's trials <paramref name="numbers"/> (each failed, cancelled or stopped), or all its failed
    /// trials when null. Throws <see cref="RecordNotFoundException"/> for no such sweep and
    /// <see cref="TrialRetryRefusedException"/>, changing nothing, when a number is not the sweep's, a trial cannot be
    /// retried, or there is nothing to retry.
    /// </summary>
    public async Task<RetriedTrials> RetryAsync(Guid sweepId, IReadOnlyCollection<int>? numbers, CancellationToken cancellationToken = default)
    {
        if (numbers is { Count: 0 }) throw new ArgumentException("name at least one trial, or none to retry the failed ones", nameof(numbers));
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            // The sweep's lock first, as for adding trials and status changes: a sweep cannot complete meanwhile.
            await SweepStore.LockAsync(db, sweepId, token);
            var sweep = await db.Sweeps.SingleAsync(s => s.Id == sweepId, token);
            var trials = await ChooseAsync(db, sweepId, numbers, token);

            var now = clock.StorageNow();
            foreach (var trial in trials)
            {
                string was = trial.Status.LowerName();
                TrialLifecycle.Requeue(trial, now);
                db.AddKept(trial.Id, trial.Attempt, TrialLogLevel.Info, TrialLogLines.CoordinatorSource,
                    $"retried by the user (the trial was {was}): attempt {trial.Attempt}, which resumes from the last checkpoint", now);
            }
            bool reopened = sweep.Status is not (SweepStatus.Pending or SweepStatus.Running);
            if (reopened) SweepLifecycle.Reopen(sweep);
            await db.SaveChangesAsync(token);
            return new RetriedTrials(sweep, trials, reopened);
        }, cancellationToken);
    }

    private static async Task<List<TrialRecord>> ChooseAsync(SweepDbContext db, Guid sweepId, IReadOnlyCollection<int>? numbers, CancellationToken cancellationToken)
    {
        var ofSweep = db.Trials.Where(t => t.SweepId == sweepId);
        if (numbers is null)
        {
            var failed = await ofSweep.Where(t => t.Status == TrialStatus.Failed).OrderBy(t => t.Number).ToListAsync(cancellationToken);
            return failed.Count > 0 ? failed : throw new TrialRetryRefusedException(TrialRetryRefusal.NothingFailed, $"sweep {sweepId} has no failed trial to retry");
        }

        var chosen = await ofSweep.Where(t => numbers.Contains(t.Number)).OrderBy(t => t.Number).ToListAsync(cancellationToken);
        if (numbers.Except(chosen.Select(t => t.Number)).Order().ToList() is [_, ..] missing)
            throw new TrialRetryRefusedException(TrialRetryRefusal.NoSuchTrial, $"sweep {sweepId} has no trial {string.Join(", ", missing)}");
        if (chosen.FirstOrDefault(t => !Retryable.Contains(t.Status)) is { } refused)
            throw new TrialRetryRefusedException(TrialRetryRefusal.NotRetryable,
                $"trial {refused.Number} of sweep {sweepId} is {refused.Status.LowerName()}: only failed, cancelled or stopped trials can be retried");
        return chosen;
    }
}

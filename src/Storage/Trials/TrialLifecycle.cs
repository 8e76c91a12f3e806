using Microsoft.EntityFrameworkCore.Query;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>
/// The trial state machine: pending → running (a lease) → completed | failed | stopped | cancelled, running → pending
/// (an expired lease), pending → cancelled. Every change bumps the version and the update time.
/// </summary>
internal static class TrialLifecycle
{
    public static readonly TrialStatus[] Open = [TrialStatus.Pending, TrialStatus.Running];

    public static void Lease(TrialRecord trial, string worker, TimeSpan duration, DateTime now)
    {
        trial.Status = TrialStatus.Running;
        trial.LeaseId = Guid.NewGuid();
        trial.LeaseOwner = worker;
        trial.LeaseExpiresAt = now + duration;
        trial.Worker = worker;
        trial.StartedAt ??= now;
        Touch(trial, now);
    }

    public static void End(TrialRecord trial, TrialOutcome outcome, DateTime now)
    {
        bool allowed = trial.Status == TrialStatus.Running || (trial.Status == TrialStatus.Pending && outcome.Status == TrialStatus.Cancelled);
        if (!allowed)
            throw new InvalidOperationException($"trial {trial.Id} is {trial.Status.LowerName()}; it cannot become {outcome.Status.LowerName()}");

        trial.Status = outcome.Status;
        trial.FailureReason = outcome.FailureReason;
        if (outcome.Metrics is { } metrics)
        {
            trial.TestTotal = metrics.TestTotal;
            trial.TestRecon = metrics.TestRecon;
            trial.TestKl = metrics.TestKl;
            trial.IwaeNll = metrics.IwaeNll;
            trial.ActiveUnits = metrics.ActiveUnits;
        }
        trial.FinishedAt = now;
        trial.LeaseId = null;
        trial.LeaseOwner = null;
        trial.LeaseExpiresAt = null;
        Touch(trial, now);
    }

    /// <summary>The bulk form of <see cref="End"/> for open trials, without metrics.</summary>
    public static void EndOpen(UpdateSettersBuilder<TrialRecord> setters, TrialStatus status, string? failureReason, DateTime now)
    {
        setters.SetProperty(t => t.Status, status);
        setters.SetProperty(t => t.FailureReason, failureReason);
        setters.SetProperty(t => t.FinishedAt, now);
        ClearLease(setters, now);
    }

    /// <summary>Puts a running trial whose lease expired back in the queue, on its next attempt.</summary>
    public static void Requeue(UpdateSettersBuilder<TrialRecord> setters, DateTime now)
    {
        setters.SetProperty(t => t.Status, TrialStatus.Pending);
        setters.SetProperty(t => t.Attempt, t => t.Attempt + 1);
        ClearLease(setters, now);
    }

    private static void ClearLease(UpdateSettersBuilder<TrialRecord> setters, DateTime now)
    {
        setters.SetProperty(t => t.LeaseId, (Guid?)null);
        setters.SetProperty(t => t.LeaseOwner, (string?)null);
        setters.SetProperty(t => t.LeaseExpiresAt, (DateTime?)null);
        setters.SetProperty(t => t.UpdatedAt, now);
        setters.SetProperty(t => t.Version, t => t.Version + 1);
    }

    private static void Touch(TrialRecord trial, DateTime now)
    {
        trial.UpdatedAt = now;
        trial.Version++;
    }
}

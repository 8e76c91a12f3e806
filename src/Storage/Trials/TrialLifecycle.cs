using Microsoft.EntityFrameworkCore.Query;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>
/// The trial state machine: pending → running (a lease) → completed | failed | stopped | cancelled, running → pending
/// (an expired lease, or an error in training with attempts left), pending → cancelled; an ended trial goes back to
/// pending when its sweep is re-opened (resumed, or some of its trials retried by the user). Every change bumps the
/// version and the update time.
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
        trial.LeasedAt = now;
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
        trial.FailureClass = outcome.FailureClass;
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
        ClearLease(trial, now);
    }

    /// <summary>
    /// Puts a running trial whose attempt failed in training back in the queue, on its next attempt (which resumes
    /// from its checkpoint); <paramref name="reason"/> stays as the last error.
    /// </summary>
    public static void Retry(TrialRecord trial, string reason, DateTime now)
    {
        if (trial.Status != TrialStatus.Running)
            throw new InvalidOperationException($"trial {trial.Id} is {trial.Status.LowerName()}; only a running trial can be retried");

        trial.Status = TrialStatus.Pending;
        trial.Attempt++;
        trial.FailureReason = reason;
        ClearLease(trial, now);
    }

    /// <summary>
    /// Puts an ended trial back in the queue at the user's request, on its next attempt (which resumes from its
    /// checkpoint), with fresh retry budgets; its final metrics are gone until it ends again.
    /// </summary>
    public static void Requeue(TrialRecord trial, DateTime now)
    {
        if (trial.Status is TrialStatus.Pending or TrialStatus.Running or TrialStatus.Completed)
            throw new InvalidOperationException($"trial {trial.Id} is {trial.Status.LowerName()}; it cannot be retried");

        trial.Status = TrialStatus.Pending;
        trial.Attempt++;
        trial.ModelFailures = 0;
        trial.InfrastructureLosses = 0;
        trial.FailureClass = null;
        trial.TestTotal = trial.TestRecon = trial.TestKl = trial.IwaeNll = null;
        trial.ActiveUnits = null;
        trial.FinishedAt = null;
        ClearLease(trial, now);
    }

    /// <summary>The bulk form of <see cref="End"/> for open trials; the outcome's metrics are not written.</summary>
    public static void EndOpen(UpdateSettersBuilder<TrialRecord> setters, TrialOutcome outcome, DateTime now)
    {
        setters.SetProperty(t => t.Status, outcome.Status);
        setters.SetProperty(t => t.FailureClass, outcome.FailureClass);
        setters.SetProperty(t => t.FailureReason, outcome.FailureReason);
        setters.SetProperty(t => t.FinishedAt, now);
        ClearLease(setters, now);
    }

    /// <summary>
    /// Puts an ended trial of a re-opened sweep back in the queue (bulk): a trial that had started goes on its next
    /// attempt, which resumes from its last checkpoint, with both budgets afresh (someone asked for it to run again);
    /// its failure class goes, its last reason stays.
    /// </summary>
    public static void Reopen(UpdateSettersBuilder<TrialRecord> setters, DateTime now)
    {
        setters.SetProperty(t => t.Status, TrialStatus.Pending);
        setters.SetProperty(t => t.Attempt, t => t.StartedAt == null ? t.Attempt : t.Attempt + 1);
        setters.SetProperty(t => t.ModelFailures, 0);
        setters.SetProperty(t => t.InfrastructureLosses, 0);
        setters.SetProperty(t => t.FailureClass, (FailureClass?)null);
        setters.SetProperty(t => t.FinishedAt, (DateTime?)null);
        ClearLease(setters, now);
    }

    /// <summary>Puts a running trial whose lease expired (its worker lost) back in the queue, on its next attempt: an infrastructure loss.</summary>
    public static void RequeueLost(UpdateSettersBuilder<TrialRecord> setters, DateTime now)
    {
        setters.SetProperty(t => t.Status, TrialStatus.Pending);
        setters.SetProperty(t => t.Attempt, t => t.Attempt + 1);
        setters.SetProperty(t => t.InfrastructureLosses, t => t.InfrastructureLosses + 1);
        ClearLease(setters, now);
    }

    private static void ClearLease(TrialRecord trial, DateTime now)
    {
        trial.LeaseId = null;
        trial.LeaseOwner = null;
        trial.LeaseExpiresAt = null;
        Touch(trial, now);
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

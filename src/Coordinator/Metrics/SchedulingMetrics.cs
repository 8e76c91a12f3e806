using System.Diagnostics.Metrics;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>The scheduler's counters (exported as Prometheus counters with a <c>_total</c> suffix).</summary>
public sealed class SchedulingMetrics
{
    public const string MeterName = "SweepRunner.Coordinator";

    private readonly Counter<long> leases;
    private readonly Counter<long> expiries;
    private readonly Counter<long> endedTrials;
    private readonly Counter<long> failures;

    public SchedulingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        leases = meter.CreateCounter<long>("sweeprunner_trial_leases", "{lease}", "Trials leased to workers");
        expiries = meter.CreateCounter<long>("sweeprunner_lease_expiries", "{lease}", "Leases that ran out without a heartbeat");
        endedTrials = meter.CreateCounter<long>("sweeprunner_trials_ended", "{trial}", "Trials ended, by final status");
        failures = meter.CreateCounter<long>("sweeprunner_trial_failures", "{trial}", "Trials failed, by reason: diverged, error (in training), infrastructure (worker lost on the last attempt)");
    }

    public void Leased() => leases.Add(1);

    /// <summary><paramref name="failed"/> of the <paramref name="count"/> expired leases were their trial's last attempt.</summary>
    public void Expired(int count, int failed)
    {
        expiries.Add(count);
        if (failed <= 0) return;
        endedTrials.Add(failed, Status(TrialStatus.Failed));
        failures.Add(failed, new KeyValuePair<string, object?>("reason", FailureReason.Infrastructure));
    }

    /// <param name="failureReason">What the worker said when it failed the trial.</param>
    public void Ended(TrialStatus status, string? failureReason)
    {
        endedTrials.Add(1, Status(status));
        if (status == TrialStatus.Failed)
            failures.Add(1, new KeyValuePair<string, object?>("reason", FailureReason.Classify(failureReason)));
    }

    private static KeyValuePair<string, object?> Status(TrialStatus status) => new("status", status.LowerName());
}

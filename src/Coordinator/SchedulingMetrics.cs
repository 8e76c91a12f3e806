using System.Diagnostics.Metrics;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator;

/// <summary>The coordinator's meters (exported as Prometheus counters with a <c>_total</c> suffix).</summary>
public sealed class SchedulingMetrics
{
    public const string MeterName = "SweepRunner.Coordinator";

    private readonly Counter<long> leases;
    private readonly Counter<long> expiries;
    private readonly Counter<long> endedTrials;

    public SchedulingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        leases = meter.CreateCounter<long>("sweeprunner_trial_leases", "{lease}", "Trials leased to workers");
        expiries = meter.CreateCounter<long>("sweeprunner_lease_expiries", "{lease}", "Leases that ran out without a heartbeat");
        endedTrials = meter.CreateCounter<long>("sweeprunner_trials_ended", "{trial}", "Trials ended, by final status");
    }

    public void Leased() => leases.Add(1);

    public void Expired(int count) => expiries.Add(count);

    public void Ended(TrialStatus status) => endedTrials.Add(1, new KeyValuePair<string, object?>("status", status.LowerName()));
}

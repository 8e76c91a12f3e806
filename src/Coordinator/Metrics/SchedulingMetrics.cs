using System.Diagnostics.Metrics;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// The scheduler's counters (exported as Prometheus counters with a <c>_total</c> suffix). Observable, so that each
/// series is there from the start at 0, every status and failure class included: a rate over a counter that has not
/// counted yet is 0, not nothing, and an alert sees its first increase.
/// </summary>
public sealed class SchedulingMetrics
{
    public const string MeterName = "SweepRunner.Coordinator";

    private static readonly TrialStatus[] EndStatuses = [TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Failed, TrialStatus.Cancelled];
    private static readonly FailureClass[] FailureClasses = Enum.GetValues<FailureClass>();

    private readonly long[] endedByStatus = new long[EndStatuses.Length];
    private readonly long[] failuresByClass = new long[FailureClasses.Length];
    private long leases;
    private long expiries;
    private long epochReports;

    public SchedulingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("sweeprunner_trial_leases", () => Interlocked.Read(ref leases), "{lease}", "Trials leased to workers");
        meter.CreateObservableCounter("sweeprunner_epochs_reported", () => Interlocked.Read(ref epochReports), "{epoch}", "Epochs workers reported, replays after an outage included");
        meter.CreateObservableCounter("sweeprunner_lease_expiries", () => Interlocked.Read(ref expiries), "{lease}", "Leases that ran out without a heartbeat");
        meter.CreateObservableCounter("sweeprunner_trials_ended", () => Labelled(endedByStatus, "status", [.. EndStatuses.Select(status => status.LowerName())]), "{trial}",
            "Trials ended, by final status");
        meter.CreateObservableCounter("sweeprunner_trial_failures", () => Labelled(failuresByClass, "reason", [.. FailureClasses.Select(failure => failure.LowerName())]), "{trial}",
            "Trials failed, by failure class: infrastructure (worker lost too often), diverged, error (in training, on every attempt), timeout");
    }

    public void Leased() => Interlocked.Increment(ref leases);

    public void EpochReported() => Interlocked.Increment(ref epochReports);

    /// <summary>
    /// What a pass over running trials did: <paramref name="count"/> leases expired, <paramref name="failed"/> of them
    /// their trial's last infrastructure attempt; <paramref name="timedOut"/> trials ran past the trial timeout.
    /// </summary>
    public void Expired(int count, int failed, int timedOut)
    {
        Interlocked.Add(ref expiries, count);
        Failed(FailureClass.Infrastructure, failed);
        Failed(FailureClass.Timeout, timedOut);
    }

    /// <param name="failureClass">Why it failed, when <paramref name="status"/> is failed.</param>
    public void Ended(TrialStatus status, FailureClass? failureClass)
    {
        if (status == TrialStatus.Failed)
        {
            Failed(failureClass ?? FailureClass.Error, 1);
            return;
        }
        int index = Array.IndexOf(EndStatuses, status);
        if (index >= 0) Interlocked.Increment(ref endedByStatus[index]);
    }

    private void Failed(FailureClass failureClass, int count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref endedByStatus[Array.IndexOf(EndStatuses, TrialStatus.Failed)], count);
        Interlocked.Add(ref failuresByClass[Array.IndexOf(FailureClasses, failureClass)], count);
    }

    private static IEnumerable<Measurement<long>> Labelled(long[] counts, string label, string[] values) =>
        values.Select((value, index) => new Measurement<long>(Interlocked.Read(ref counts[index]), new KeyValuePair<string, object?>(label, value)));
}

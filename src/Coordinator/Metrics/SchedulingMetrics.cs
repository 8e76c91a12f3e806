using System.Diagnostics.Metrics;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// The scheduler's counters (exported as Prometheus counters with a <c>_total</c> suffix). Observable, so that each
/// series is there from the start at 0, every status and failure reason included: a rate over a counter that has not
/// counted yet is 0, not nothing, and an alert sees its first increase.
/// </summary>
public sealed class SchedulingMetrics
{
    public const string MeterName = "SweepRunner.Coordinator";

    private static readonly TrialStatus[] EndStatuses = [TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Failed, TrialStatus.Cancelled];
    private static readonly string[] FailureReasons = [FailureReason.Diverged, FailureReason.Error, FailureReason.Infrastructure];

    private readonly long[] endedByStatus = new long[EndStatuses.Length];
    private readonly long[] failuresByReason = new long[FailureReasons.Length];
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
        meter.CreateObservableCounter("sweeprunner_trial_failures", () => Labelled(failuresByReason, "reason", FailureReasons), "{trial}",
            "Trials failed, by reason: diverged, error (in training), infrastructure (worker lost on the last attempt)");
    }

    public void Leased() => Interlocked.Increment(ref leases);

    public void EpochReported() => Interlocked.Increment(ref epochReports);

    /// <summary><paramref name="failed"/> of the <paramref name="count"/> expired leases were their trial's last attempt.</summary>
    public void Expired(int count, int failed)
    {
        Interlocked.Add(ref expiries, count);
        if (failed <= 0) return;
        Interlocked.Add(ref endedByStatus[Array.IndexOf(EndStatuses, TrialStatus.Failed)], failed);
        Interlocked.Add(ref failuresByReason[Array.IndexOf(FailureReasons, FailureReason.Infrastructure)], failed);
    }

    /// <param name="failureReason">What the worker said when it failed the trial.</param>
    public void Ended(TrialStatus status, string? failureReason)
    {
        int index = Array.IndexOf(EndStatuses, status);
        if (index < 0) return;
        Interlocked.Increment(ref endedByStatus[index]);
        if (status == TrialStatus.Failed)
            Interlocked.Increment(ref failuresByReason[Array.IndexOf(FailureReasons, FailureReason.Classify(failureReason))]);
    }

    private static IEnumerable<Measurement<long>> Labelled(long[] counts, string label, string[] values) =>
        values.Select((value, index) => new Measurement<long>(Interlocked.Read(ref counts[index]), new KeyValuePair<string, object?>(label, value)));
}

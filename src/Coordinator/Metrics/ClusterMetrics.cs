using System.Diagnostics.Metrics;
using SweepRunner.Common;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Statistics;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// Gauges of the cluster's state as last sampled (<see cref="ClusterSampler"/>): trials by status per sweep, the queue,
/// the live leases, the workers heard from, the checkpoint bytes per sweep. Nothing is exported before the first sample.
/// </summary>
public sealed class ClusterMetrics
{
    private static readonly TrialStatus[] Statuses = Enum.GetValues<TrialStatus>();

    private volatile Sample? latest;

    public ClusterMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(SchedulingMetrics.MeterName);
        meter.CreateObservableGauge("sweeprunner_sweep_trials", SweepTrials, "{trial}",
            "Trials of each running or recently finished sweep, by status");
        meter.CreateObservableGauge("sweeprunner_queue_depth", () => Measure(sample => sample.Statistics.QueueDepth), "{trial}",
            "Pending trials, waiting for a worker");
        meter.CreateObservableGauge("sweeprunner_active_leases", () => Measure(sample => sample.Statistics.ActiveLeases), "{lease}",
            "Trials running under a lease that has not run out");
        meter.CreateObservableGauge("sweeprunner_workers_connected", () => Measure(sample => sample.Workers), "{worker}",
            "Workers heard from within the worker timeout");
        meter.CreateObservableGauge("sweeprunner_checkpoint_stored", CheckpointBytes, "By",
            "Bytes of checkpoints stored for each running or recently finished sweep");
    }

    public void Update(ClusterStatistics statistics, int workers) => latest = new Sample(statistics, workers);

    private IEnumerable<Measurement<long>> Measure(Func<Sample, int> value) =>
        latest is { } sample ? [new Measurement<long>(value(sample))] : [];

    private IEnumerable<Measurement<long>> SweepTrials()
    {
        if (latest is not { } sample) yield break;
        foreach (var sweep in sample.Statistics.Sweeps)
        {
            foreach (var status in Statuses)
                yield return new(sweep.Trials.GetValueOrDefault(status), SweepTags(sweep, new KeyValuePair<string, object?>("status", status.LowerName())));
        }
    }

    private IEnumerable<Measurement<long>> CheckpointBytes() =>
        latest is { } sample ? sample.Statistics.Sweeps.Select(sweep => new Measurement<long>(sweep.CheckpointBytes, SweepTags(sweep))) : [];

    private static KeyValuePair<string, object?>[] SweepTags(SweepTrialCounts sweep, params ReadOnlySpan<KeyValuePair<string, object?>> more) =>
        [new("sweep", sweep.SweepId.ToString()), new("sweep_name", sweep.Name), .. more];

    private sealed record Sample(ClusterStatistics Statistics, int Workers);
}

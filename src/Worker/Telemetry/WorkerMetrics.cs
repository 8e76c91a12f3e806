using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace SweepRunner.Worker.Telemetry;

/// <summary>
/// What a worker's slots do (meter <see cref="MeterName"/>): slots busy, epoch durations, training throughput,
/// checkpoint writes, libtorch's threads and the process's memory. Labels are per slot at most: never per trial,
/// which the coordinator's per-trial gauges cover.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "SweepRunner.Worker";

    /// <summary>Seconds: an epoch of a small subset takes a fraction of one, a CNN epoch of all MNIST on one core many minutes.</summary>
    private static readonly IReadOnlyList<double> EpochBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

    /// <summary>Seconds: a checkpoint is a few MB, written to the store in one statement.</summary>
    private static readonly IReadOnlyList<double> CheckpointBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> epochDuration;
    private readonly Histogram<double> checkpointWrite;
    private readonly ConcurrentDictionary<int, double> samplesPerSecond = new();
    private int busySlots;
    private int libtorchThreads;

    public WorkerMetrics(IMeterFactory meters, IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        int slots = options.Value.Slots;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("sweeprunner_worker_slots", () => slots, "{slot}", "Training slots of this worker");
        meter.CreateObservableGauge("sweeprunner_worker_slots_busy", () => Volatile.Read(ref busySlots), "{slot}", "Slots training a trial now");
        epochDuration = meter.CreateHistogram("sweeprunner_epoch_duration", "s", "Time to train one epoch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EpochBuckets });
        meter.CreateObservableGauge("sweeprunner_training_samples_per_second", SamplesPerSecond, "{sample}/s",
            "Training samples per second over each slot's last epoch");
        checkpointWrite = meter.CreateHistogram("sweeprunner_checkpoint_write_duration", "s", "Time to store one epoch's metrics and checkpoint",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointBuckets });
        meter.CreateObservableGauge("sweeprunner_libtorch_threads", () => Volatile.Read(ref libtorchThreads), "{thread}", "libtorch's CPU threads, shared by the slots");
        meter.CreateObservableGauge("sweeprunner_worker_memory", () => Environment.WorkingSet, "By", "The worker process's working set");
    }

    /// <summary>A slot took a trial; disposing the result says it is free again.</summary>
    public IDisposable Busy()
    {
        Interlocked.Increment(ref busySlots);
        return new SlotRelease(this);
    }

    public void LibtorchThreads(int threads) => Volatile.Write(ref libtorchThreads, threads);

    public void EpochTrained(int slot, double seconds, double samplesPerSecondNow)
    {
        epochDuration.Record(seconds);
        samplesPerSecond[slot] = samplesPerSecondNow;
    }

    public void CheckpointStored(TimeSpan elapsed) => checkpointWrite.Record(elapsed.TotalSeconds);

    private IEnumerable<Measurement<double>> SamplesPerSecond() =>
        samplesPerSecond.Select(slot => new Measurement<double>(slot.Value, new KeyValuePair<string, object?>("slot", slot.Key.ToString(CultureInfo.InvariantCulture))));

    private sealed class SlotRelease(WorkerMetrics metrics) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) Interlocked.Decrement(ref metrics.busySlots);
        }
    }
}

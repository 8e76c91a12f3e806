using SweepRunner.Common;

namespace SweepRunner.Worker;

/// <summary>How a worker trains (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>The default <see cref="MaxPackedTrials"/>.</summary>
    public const int DefaultMaxPackedTrials = 8;

    /// <summary>Trials trained at once, each on its own thread.</summary>
    public int Slots { get; set; } = 1;

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = TrainingDevice.Cpu;

    /// <summary>
    /// The worker's tags, <c>,</c>-separated (<c>gpu,big-mem</c>): it leases only trials whose required tags are all
    /// among them. Null or empty: the tag of <see cref="Device"/> (<see cref="TrainingDevice.TagOf"/>).
    /// </summary>
    public string? Tags { get; set; }

    /// <summary>
    /// Folders, <c>;</c>-separated, below which a sweep's <c>dataset</c> may lie, besides the bundled MNIST
    /// (<see cref="Models.Data.DatasetRoots"/>): a trial naming any other folder fails without opening it.
    /// </summary>
    public string? DatasetRoots { get; set; }

    /// <summary>
    /// libtorch's CPU threads. The setting is process-wide: every slot of a process sets the same value once when it
    /// starts, so the slots share it. Null: the cores divided among the slots.
    /// </summary>
    public int? Threads { get; set; }

    /// <summary>
    /// The most trials a slot leases together to train as one packed model, when their sweep says <c>packing: auto</c>
    /// (docs/sweep-format.md); 1: every trial trains alone.
    /// </summary>
    public int MaxPackedTrials { get; set; } = DefaultMaxPackedTrials;

    /// <summary>How the worker names itself in leases (slots add <c>/slot-N</c>); default: host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long a slot waits before asking again when no trial is pending.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long past its lease's last known expiry a slot keeps trying its calls through an outage of the coordinator or
    /// the store before it gives the trial up. The coordinator ends no lease while the store is down, nor for a grace
    /// after it is back or restarted, so a worker that rides out the outage renews its lease and keeps its trial.
    /// </summary>
    public TimeSpan OutageGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker announces itself to the coordinator (which counts it gone after its worker timeout).</summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The port of the worker's metrics and health endpoint (<see cref="Telemetry.MetricsPort"/>): a number, <c>0</c>
    /// for any free port, or <c>off</c>. Only a worker process serves one; the embedded run's metrics are on its API.
    /// </summary>
    public string MetricsPort { get; set; } = Telemetry.MetricsPort.Default.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The address the metrics endpoint listens on: loopback unless configured (<c>0.0.0.0</c>: every address).</summary>
    public string MetricsHost { get; set; } = System.Net.IPAddress.Loopback.ToString();

    /// <summary>The host name or address announced for Prometheus to scrape; null: the listening address, or this host's name when that is every address.</summary>
    public string? MetricsAdvertisedHost { get; set; }

    /// <summary><see cref="Tags"/> as a list, normalized (<see cref="WorkerTags.Normalize"/>), or the device's tag when none is set.</summary>
    public IReadOnlyList<string> EffectiveTags => ParseTags(Tags) is { Count: > 0 } tags ? WorkerTags.Normalize(tags) : [TrainingDevice.TagOf(Device)];

    /// <summary>The tags of a <c>,</c>-separated list, blanks around each ignored; empty for none.</summary>
    public static IReadOnlyList<string> ParseTags(string? tags) =>
        tags?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    public int EffectiveThreads => Threads ?? Math.Max(1, Environment.ProcessorCount / Slots);
}

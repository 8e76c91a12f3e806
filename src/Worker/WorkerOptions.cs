namespace SweepRunner.Worker;

/// <summary>How a worker trains (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Trials trained at once, each on its own thread.</summary>
    public int Slots { get; set; } = 1;

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = TrainingDevice.Cpu;

    /// <summary>
    /// libtorch's CPU threads. The setting is process-wide: every slot of a process sets the same value once when it
    /// starts, so the slots share it. Null: the cores divided among the slots.
    /// </summary>
    public int? Threads { get; set; }

    /// <summary>How the worker names itself in leases (slots add <c>/slot-N</c>); default: host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long a slot waits before asking again when no trial is pending.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromMilliseconds(200);

    public int EffectiveThreads => Threads ?? Math.Max(1, Environment.ProcessorCount / Slots);
}

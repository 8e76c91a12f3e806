using SweepRunner.Worker;
using SweepRunner.Worker.Training;

namespace SweepRunner.Hosting;

/// <summary>What an embedded host is made of besides its defaults.</summary>
/// <param name="Database">The SQLite file (or connection string) of the sweep store, migrated at start.</param>
/// <param name="Slots">Training slots in the process.</param>
public sealed record EmbeddedHostSettings(string Database, int Slots)
{
    /// <summary>libtorch's CPU threads; null: the cores divided among the slots.</summary>
    public int? Threads { get; init; }

    public string Device { get; init; } = TrainingDevice.Cpu;

    /// <summary>The most trials a slot packs together (<see cref="WorkerOptions.MaxPackedTrials"/>); null: the worker's default.</summary>
    public int? MaxPackedTrials { get; init; }

    /// <summary>How the slots are named in trials (<c>NAME/slot-N</c>).</summary>
    public string WorkerName { get; init; } = "local";

    /// <summary>
    /// Where the REST API listens, ;-separated; null: <see cref="Coordinator.Api.CoordinatorApiHostingExtensions.DefaultUrl"/>,
    /// or a free loopback port when another process has that one.
    /// </summary>
    public string? Urls { get; init; }

    /// <summary>Framework logs and full exceptions (<c>--verbose</c>).</summary>
    public bool Verbose { get; init; }

    /// <summary>Relative paths in configuration are resolved against it.</summary>
    public string ContentRoot { get; init; } = Environment.CurrentDirectory;

    /// <summary>Trains the trials instead of the VAE trainer (benchmarks: a trainer that only waits).</summary>
    public ITrialTrainer? Trainer { get; init; }
}

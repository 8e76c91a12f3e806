using SweepRunner.Contracts.Training;

namespace SweepRunner.Models.Training;

/// <summary>How the trainer runs, as opposed to what it trains (<see cref="TrainingConfig"/>).</summary>
public sealed record TrainerOptions
{
    /// <summary>
    /// Force a collection every this many batches (0: never): a full one before each epoch's first batch, of the young
    /// generations at the others. TorchSharp frees native memory that a wrapper it made internally holds only when
    /// finalizers run. With TorchSharp's optimizers the MLP loop grew to ~2 GB RSS without collections; with the flat
    /// optimizers (src/Models/Optimizers) it stays near 0.45 GB either way, and the collections are kept as a bound
    /// for what other wrappers hold.
    /// </summary>
    public int CollectGarbageEveryBatches { get; init; } = 50;

    /// <summary>
    /// Where the model and the data live: <c>cpu</c> or <c>cuda</c> (needs a CUDA build of libtorch). Random draws stay
    /// on the CPU either way (see <see cref="VaeTrainer"/>), so a run's stream does not depend on the device.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>When set, the trainer charges each epoch's time to its phases here (<c>sweep train --profile</c>).</summary>
    public EpochProfiler? Profiler { get; init; }
}

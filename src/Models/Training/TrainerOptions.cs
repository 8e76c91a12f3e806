namespace SweepRunner.Models.Training;

/// <summary>How the trainer runs, as opposed to what it trains (<see cref="TrainingConfig"/>).</summary>
public sealed record TrainerOptions
{
    /// <summary>
    /// Force a full collection every this many batches (0: never). TorchSharp frees native tensor memory
    /// only when finalizers run, so without it the MLP loop grows to ~2 GB RSS; every 50 batches keeps it
    /// near 0.5 GB and is no slower.
    /// </summary>
    public int CollectGarbageEveryBatches { get; init; } = 50;
}

using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Checkpoints;

/// <summary>
/// What a checkpoint says about itself: the run's config, how many epochs are done, the data it was
/// trained on, the random generators' states (so a resumed run draws the same shuffles and noise) and
/// the metrics of the epochs done so far.
/// </summary>
public sealed record CheckpointMetadata
{
    public required TrainingConfig Config { get; init; }
    public required int Epoch { get; init; }
    public required string DatasetHash { get; init; }
    public required byte[] ShuffleGeneratorState { get; init; }
    public required byte[] NoiseGeneratorState { get; init; }
    public required IReadOnlyList<EpochReport> History { get; init; }
}

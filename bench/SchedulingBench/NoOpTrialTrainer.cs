using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Worker.Training;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Bench;

/// <summary>
/// A test double of the training step: every call returns at once with fixed losses, so a sweep run with it measures
/// only what the slots, grains and store do around training. Its checkpoint is a few bytes, not a model's megabytes.
/// </summary>
internal sealed class NoOpTrialTrainer : ITrialTrainer
{
    private static readonly SplitLosses Losses = new(Total: 170, Recon: 165, Kl: 5);

    public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new Run(trial.Training.Epochs);
    }

    private sealed class Run(int totalEpochs) : ITrialTraining
    {
        public int CompletedEpochs { get; private set; }

        public int TotalEpochs => totalEpochs;

        public EpochReport TrainEpoch(CancellationToken cancellationToken) =>
            new(++CompletedEpochs, Losses, Losses, Seconds: 0, SamplesPerSecond: 0);

        public byte[] CreateCheckpoint() => BitConverter.GetBytes(CompletedEpochs);

        public LatentAnalysis Analyze() => new([2.5, 2.5], [1, 1], ActiveUnits: 2, IwaeNll: 165, IwaeSamples: 0, IwaeExamples: 0);

        public SplitLosses EvaluateTest() => Losses;

        public IReadOnlyList<FigureFile> RenderFigures() => [];

        public void Dispose()
        {
        }
    }
}

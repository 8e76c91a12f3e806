using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Worker.Training;

/// <summary>Opens the training of one trial; the seam a benchmark uses to measure scheduling without training.</summary>
public interface ITrialTrainer
{
    /// <summary>A fresh run of <paramref name="trial"/>, or the run saved in <paramref name="checkpoint"/> (the bytes a previous attempt stored).</summary>
    ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint);

    /// <summary>
    /// Loads what the first trial would otherwise wait for (the default dataset, the native runtime) while the host is
    /// still starting; <see cref="TrainerWarmUp"/> calls it once, in the background.
    /// </summary>
    void WarmUp()
    {
    }
}

/// <summary>One trial being trained, epoch by epoch, on the calling thread.</summary>
public interface ITrialTraining : IDisposable
{
    int CompletedEpochs { get; }

    int TotalEpochs { get; }

    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    EpochReport TrainEpoch(CancellationToken cancellationToken);

    /// <summary>The full state after the last completed epoch, as bytes to store.</summary>
    byte[] CreateCheckpoint();

    /// <summary>End-of-run analysis on the test set: per-dimension KL, active units, IWAE bound.</summary>
    LatentAnalysis Analyze();

    /// <summary>Test metrics with the model as it is now.</summary>
    SplitLosses EvaluateTest();

    /// <summary>The trial's figures (latent scatter, manifolds, prior samples, loss curves) with the model as it is now.</summary>
    IReadOnlyList<FigureFile> RenderFigures();
}

using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Worker.Training;

/// <summary>Opens the training of one trial; the seam a benchmark uses to measure scheduling without training.</summary>
public interface ITrialTrainer
{
    /// <summary>A fresh run of <paramref name="trial"/>, or the run saved in <paramref name="checkpoint"/> (the bytes a previous attempt stored).</summary>
    ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint);

    /// <summary>Whether <see cref="OpenPacked"/> trains trials packed; a trainer that cannot has its slots lease one trial at a time.</summary>
    bool Packs => false;

    /// <summary>
    /// Fresh runs of <paramref name="trials"/>, which pack (<see cref="Contracts.Sweeps.TrialPacking"/>: equal but for β,
    /// the MLP), trained together as one model.
    /// </summary>
    IPackedTrialTraining OpenPacked(IReadOnlyList<TrialTrainingConfig> trials) =>
        throw new NotSupportedException($"{GetType().Name} trains every trial alone");

    /// <summary>
    /// Loads what the first trial would otherwise wait for (the default dataset, the native runtime) while the host is
    /// still starting; <see cref="TrainerWarmUp"/> calls it once, in the background.
    /// </summary>
    void WarmUp()
    {
    }
}

/// <summary>A trial's model after an epoch: what a slot stores, reports and draws of it.</summary>
public interface ITrialModel
{
    /// <summary>The full state after the last completed epoch, as bytes to store.</summary>
    byte[] CreateCheckpoint();

    /// <summary>End-of-run analysis on the test set: per-dimension KL, active units, IWAE bound.</summary>
    LatentAnalysis Analyze();

    /// <summary>Test metrics with the model as it is now.</summary>
    SplitLosses EvaluateTest();

    /// <summary>The trial's figures (latent scatter, manifolds, prior samples, loss curves) with the model as it is now.</summary>
    IReadOnlyList<FigureFile> RenderFigures();
}

/// <summary>One trial being trained, epoch by epoch, on the calling thread.</summary>
public interface ITrialTraining : ITrialModel, IDisposable
{
    int CompletedEpochs { get; }

    int TotalEpochs { get; }

    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    EpochReport TrainEpoch(CancellationToken cancellationToken);
}

/// <summary>
/// Trials trained packed as one model, epoch by epoch, on the calling thread; each member keeps its own reports,
/// checkpoints, analysis and figures (<see cref="Members"/>, in the order they were opened).
/// </summary>
public interface IPackedTrialTraining : IDisposable
{
    int CompletedEpochs { get; }

    int TotalEpochs { get; }

    IReadOnlyList<ITrialModel> Members { get; }

    /// <summary>One epoch of every member: its report, or null for a member that has left the group or diverged.</summary>
    IReadOnlyList<EpochReport?> TrainEpoch(CancellationToken cancellationToken);

    /// <summary>Why member <paramref name="member"/> diverged (its loss became NaN or infinite); null while it has not.</summary>
    TrainingDivergedException? DivergenceOf(int member);

    /// <summary>Takes member <paramref name="member"/> out of the group (it ended, or is no longer this slot's): it is no longer reported.</summary>
    void Leave(int member);
}

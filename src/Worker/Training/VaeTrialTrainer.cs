using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Packing;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Worker.Training;

/// <summary>
/// Trains trials with <see cref="VaeTrainer"/> on MNIST (or the IDX folder a trial names, inside the worker's
/// <see cref="WorkerOptions.DatasetRoots"/>), loaded once per folder per process, on the worker's <see cref="WorkerOptions.Device"/>.
/// </summary>
public sealed class VaeTrialTrainer(IOptions<WorkerOptions> options) : ITrialTrainer
{
    /// <summary>IWAE samples and test examples of the end-of-run bound: as <c>sweep train</c>'s defaults.</summary>
    private const int IwaeSamples = 50;
    private const int IwaeExamples = 1000;

    /// <summary>Training (two batches) and test images of the warm-up run.</summary>
    private const int WarmUpImages = 64;

    private readonly ConcurrentDictionary<string, Lazy<MnistDataset>> datasets = new(StringComparer.Ordinal);

    private readonly TrainerOptions trainerOptions = new() { Device = options.Value.Device };

    private readonly DatasetRoots datasetRoots = DatasetRoots.FromConfiguration(options.Value.DatasetRoots);

    public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var config = trial.Training;
        var images = Dataset(trial.Dataset);
        var trainer = checkpoint is null
            ? VaeTrainer.Start(config, images, trainerOptions)
            : VaeTrainer.Resume(Checkpoint.FromBytes(checkpoint, "stored checkpoint"), images, config.Epochs, trainerOptions);
        return new Run(trainer, IwaeSamples, IwaeExamples);
    }

    public bool Packs => true;

    public IPackedTrialTraining OpenPacked(IReadOnlyList<TrialTrainingConfig> trials)
    {
        ArgumentOutOfRangeException.ThrowIfZero(trials.Count);
        // Trials pack only with the same dataset (it is part of their packing key).
        var trainer = PackedVaeTrainer.Start([.. trials.Select(trial => trial.Training)], Dataset(trials[0].Dataset), trainerOptions);
        return new PackedRun(trainer);
    }

    /// <summary>
    /// The bundled MNIST parsed, and a small run through each step a trial takes (an epoch on a few images with its test
    /// pass, a checkpoint, the analysis, the figures): libtorch's kernels, the figure renderer's native library and
    /// fonts, and the code that is not compiled ahead of time are then ready when the first trial comes, instead of
    /// adding a second or so to it.
    /// </summary>
    public void WarmUp()
    {
        var config = new TrainingConfig { Model = ModelKind.Mlp, BatchSize = WarmUpImages / 2 };
        // A few test images too: the whole test split would make the warm-up's test pass and figures seconds of CPU
        // taken from the start-up it runs beside.
        var images = Dataset(dataset: null).Head(WarmUpImages, WarmUpImages);
        using var run = new Run(VaeTrainer.Start(config, images, trainerOptions), iwaeSamples: 2, iwaeExamples: WarmUpImages);
        run.TrainEpoch(CancellationToken.None);
        run.CreateCheckpoint();
        run.Analyze();
        run.RenderFigures();
    }

    /// <summary>The dataset a trial names, loaded once per folder: a trial that asks while another loads it waits for that load.</summary>
    private MnistDataset Dataset(string? dataset) =>
        datasets.GetOrAdd(datasetRoots.FolderOf(dataset), path => new Lazy<MnistDataset>(() => MnistDataset.Load(path))).Value;

    private sealed class Run(VaeTrainer trainer, int iwaeSamples, int iwaeExamples) : ITrialTraining
    {
        public int CompletedEpochs => trainer.CompletedEpochs;

        public int TotalEpochs => trainer.Config.Epochs;

        public EpochReport TrainEpoch(CancellationToken cancellationToken) => trainer.TrainEpoch(progress: null, cancellationToken);

        public byte[] CreateCheckpoint() => trainer.CreateCheckpoint().ToBytes();

        public LatentAnalysis Analyze() => trainer.Analyze(iwaeSamples, iwaeExamples);

        /// <summary>The last epoch's test losses, measured on the model as it is now; measured afresh only before any epoch.</summary>
        public SplitLosses EvaluateTest() => trainer.History is [.., var last] ? last.Test : trainer.EvaluateTest();

        /// <summary>As <c>sweep train</c> draws them: the prior samples seeded by the trial's seed, every digit of a CVAE.</summary>
        public IReadOnlyList<FigureFile> RenderFigures() =>
            TrialFigures.Render(trainer.Model, trainer.TestSet, trainer.History, unchecked((ulong)trainer.Config.Seed), digit: null);

        public void Dispose() => trainer.Dispose();
    }

    private sealed class PackedRun(PackedVaeTrainer trainer) : IPackedTrialTraining
    {
        public int CompletedEpochs => trainer.CompletedEpochs;

        public int TotalEpochs => trainer.Configs[0].Epochs;

        public IReadOnlyList<ITrialModel> Members { get; } = [.. Enumerable.Range(0, trainer.Count).Select(trial => new Member(trainer, trial))];

        public IReadOnlyList<EpochReport?> TrainEpoch(CancellationToken cancellationToken) => trainer.TrainEpoch(progress: null, cancellationToken);

        public TrainingDivergedException? DivergenceOf(int member) => trainer.DivergenceOf(member);

        public void Leave(int member) => trainer.Retire(member);

        public void Dispose() => trainer.Dispose();
    }

    /// <summary>One packed trial, as <see cref="Run"/> serves a trial trained alone.</summary>
    private sealed class Member(PackedVaeTrainer trainer, int trial) : ITrialModel
    {
        public byte[] CreateCheckpoint() => trainer.CreateCheckpoint(trial).ToBytes();

        public LatentAnalysis Analyze() => trainer.Analyze(trial, IwaeSamples, IwaeExamples);

        /// <summary>The last epoch's test losses: a packed trial is read only after its epochs.</summary>
        public SplitLosses EvaluateTest() => trainer.Histories[trial][^1].Test;

        public IReadOnlyList<FigureFile> RenderFigures() =>
            TrialFigures.Render(trainer.MemberModel(trial), trainer.TestSet, trainer.Histories[trial], unchecked((ulong)trainer.Configs[trial].Seed), digit: null);
    }
}

using System.Diagnostics;
using SweepRunner.Common;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Optimizers;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// Trains K runs that differ only in β as one <see cref="PackedMlpVae"/>, each trial as its own <see cref="VaeTrainer"/>
/// run would: the same initialisation (each trial's, from its seed), the same shuffles, the same noise, and a gradient
/// that is exactly its own, since the loss Σ_k (recon_k + β_k·KL_k) ties no trial to another. Sharing a seed, the
/// trials share one shuffle and one noise draw per batch, which each would draw alone.
/// </summary>
/// <remarks>
/// A trial's losses follow its unpacked run within float rounding, not bit for bit: the batched products and the
/// per-trial reductions sum in another order. Each trial keeps its own metrics, test evaluation and checkpoint
/// (<see cref="CreateCheckpoints"/>), which <see cref="VaeTrainer.Resume"/> continues alone.
/// A trial leaves the group when it diverges (<see cref="DivergenceOf"/>) or its caller <see cref="Retire"/>s it: it stays
/// in the packed model, whose other trials' gradients and optimizer state its own never touch (the loss is a sum and
/// the optimizer steps element by element), but it is neither checked, evaluated nor reported any more. Rebuilding a
/// smaller model would save its share of each step, at the cost of a restart: a group is small and leaves are rare.
/// </remarks>
public sealed class PackedVaeTrainer : IDisposable
{
    private readonly TrainingConfig shared;
    private readonly TensorSplit train;
    private readonly TensorSplit test;
    private readonly Generator shuffleGenerator;
    private readonly Generator noiseGenerator;
    private readonly FlatParameterOptimizer optimizer;
    private readonly TrainerOptions options;
    private readonly Device device;
    private readonly Tensor betas;
    // Each trial's weights unpacked, refreshed before they are evaluated or saved.
    private readonly MlpVae[] members;
    private readonly List<EpochReport>[] histories;
    private readonly bool[] active;
    private readonly TrainingDivergedException?[] divergences;
    private int completedEpochs;

    private PackedVaeTrainer(IReadOnlyList<TrainingConfig> configs, MnistDataset dataset, TrainerOptions? options)
    {
        CheckPackable(configs);
        Configs = [.. configs];
        shared = configs[0];
        DatasetHash = dataset.ContentHash;
        this.options = options ?? new TrainerOptions();
        device = torch.device(this.options.Device);

        var trainImages = shared.TrainLimit is { } limit ? dataset.Train.Take(limit) : dataset.Train;
        train = TensorSplit.From(trainImages, device);
        test = TensorSplit.From(dataset.Test, device);

        members = [.. configs.Select(config =>
        {
            using var initGenerator = new Generator(VaeTrainer.DeriveSeed(config.Seed, 0));
            return (MlpVae)VariationalAutoencoder.Create(config.Model, config.LatentDim, initGenerator);
        })];
        Model = new PackedMlpVae(members);
        // Before the optimizer is created: it holds the parameters that moving replaces.
        Model.to(device);
        foreach (var member in members) member.to(device);
        shuffleGenerator = new Generator(VaeTrainer.DeriveSeed(shared.Seed, 1));
        noiseGenerator = new Generator(VaeTrainer.DeriveSeed(shared.Seed, 2));
        optimizer = VaeTrainer.CreateOptimizer(shared, [.. Model.parameters()]);
        // float32 like the loss terms: the product each trial's β·KL rounds to in its unpacked run.
        betas = tensor(configs.Select(config => (float)config.Beta).ToArray(), device: device);
        histories = [.. configs.Select(_ => new List<EpochReport>())];
        active = [.. configs.Select(_ => true)];
        divergences = new TrainingDivergedException?[configs.Count];
    }

    /// <summary>The trials' configs, in the order of the packed members.</summary>
    public IReadOnlyList<TrainingConfig> Configs { get; }

    public PackedMlpVae Model { get; }

    public string DatasetHash { get; }

    /// <summary>Number of packed trials.</summary>
    public int Count => Configs.Count;

    public int CompletedEpochs => completedEpochs;

    /// <summary>Each trial's epochs so far, in the order of <see cref="Configs"/>.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> Histories => histories;

    /// <summary>
    /// Fresh runs of <paramref name="configs"/>, which must differ only in β and train the MLP.
    /// </summary>
    /// <exception cref="ArgumentException">A config is not valid or does not pack with the first, naming the field.</exception>
    public static PackedVaeTrainer Start(IReadOnlyList<TrainingConfig> configs, MnistDataset dataset, TrainerOptions? options = null) =>
        new(configs, dataset, options);

    /// <summary>Whether trial <paramref name="trial"/> still trains in the group: it has neither diverged nor been retired.</summary>
    public bool IsActive(int trial) => active[trial];

    /// <summary>Why trial <paramref name="trial"/> left the group by diverging; null while it has not.</summary>
    public TrainingDivergedException? DivergenceOf(int trial) => divergences[trial];

    /// <summary>Takes trial <paramref name="trial"/> out of the group: its epochs are no longer evaluated nor reported.</summary>
    public void Retire(int trial) => active[trial] = false;

    /// <summary>Trains the remaining epochs, calling <paramref name="onEpoch"/> with every trial's report after each.</summary>
    public void Train(Action<IReadOnlyList<EpochReport?>>? onEpoch = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        while (CompletedEpochs < shared.Epochs)
        {
            var reports = TrainEpoch(progress, cancellationToken);
            onEpoch?.Invoke(reports);
        }
    }

    /// <summary>
    /// One pass over the shuffled training set, then each active trial's test metrics; one report per trial, null for a
    /// trial that is no longer active (retired, or diverged before or during this epoch: <see cref="DivergenceOf"/>).
    /// </summary>
    public IReadOnlyList<EpochReport?> TrainEpoch(IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int epoch = CompletedEpochs + 1;
        var stopwatch = Stopwatch.StartNew();
        var reconSums = new double[Count];
        var klSums = new double[Count];

        var profiler = options.Profiler;
        profiler?.Restart();
        Model.train();
        EpochBatches.Run(train.Count, shared.BatchSize, shuffleGenerator, device, options, epoch, (indices, batch) =>
        {
            var (recon, kl) = TrainBatch(indices, epoch, batch, profiler);
            long rows = indices.shape[0];
            for (int trial = 0; trial < Count; trial++)
            {
                reconSums[trial] += recon[trial] * rows;
                klSums[trial] += kl[trial] * rows;
            }
        }, progress, cancellationToken);

        double seconds = stopwatch.Elapsed.TotalSeconds;
        var reports = new EpochReport?[Count];
        completedEpochs = epoch;
        for (int trial = 0; trial < Count; trial++)
        {
            if (!active[trial]) continue;
            double trainRecon = reconSums[trial] / train.Count, trainKl = klSums[trial] / train.Count;
            var trainMetrics = new SplitLosses(VaeLoss.Total(trainRecon, trainKl, Configs[trial].Beta), trainRecon, trainKl);
            var testPass = EvaluateTestSplit(trial);
            var report = new EpochReport(epoch, trainMetrics, testPass.Losses, seconds, train.Count / seconds, testPass.Latents);
            histories[trial].Add(report);
            reports[trial] = report;
        }
        profiler?.Mark(EpochPhase.Evaluation);
        profiler?.CompleteEpoch();
        return reports;
    }

    /// <summary>One optimizer step of every trial on the training rows <paramref name="indices"/>; each trial's mean recon and KL.</summary>
    private (float[] Recon, float[] Kl) TrainBatch(Tensor indices, int epoch, int batch, EpochProfiler? profiler)
    {
        var (images, _) = train.Select(indices, conditional: false);
        // Every trial's input is the one batch, expanded, not copied.
        var packedImages = images.expand(Count, -1, -1);
        profiler?.Mark(EpochPhase.Data);

        var (mean, logVar) = Model.Encode(packedImages);
        // The [B, latent] draw each trial's own run makes, on the CPU generator's device (as Reparameterize draws it).
        var drawn = randn([indices.shape[0], Model.LatentDim], generator: noiseGenerator);
        var z = VariationalAutoencoder.Reparameterize(mean, logVar, drawn.to(device));
        var logits = Model.DecodeLogits(z);
        var recon = VaeLoss.ReconstructionPerSample(logits, packedImages, shared.Loss).mean([1L]);
        var kl = VaeLoss.KlPerSample(mean, logVar).mean([1L]);
        var losses = VaeLoss.Total(recon, kl, betas);

        // One read of all trials' terms, where a run alone reads its loss, recon and KL one by one.
        var measured = stack([losses, recon, kl]).cpu().data<float>().ToArray();
        for (int trial = 0; trial < Count; trial++)
        {
            // The step goes ahead: the diverged trial's non-finite gradient reaches only its own weights.
            if (active[trial] && !float.IsFinite(measured[trial]))
            {
                divergences[trial] = new TrainingDivergedException(epoch, batch + 1, measured[trial]);
                active[trial] = false;
            }
        }
        profiler?.Mark(EpochPhase.Forward);

        optimizer.ZeroGrad();
        losses.sum().backward();
        profiler?.Mark(EpochPhase.Backward);
        optimizer.Update();
        profiler?.Mark(EpochPhase.Optimizer);
        return (measured[Count..(2 * Count)], measured[(2 * Count)..]);
    }

    /// <summary>The test split every trial is evaluated on.</summary>
    public TensorSplit TestSet => test;

    /// <summary>Trial <paramref name="trial"/>'s model alone, with its packed weights as they are now (to draw its figures).</summary>
    public MlpVae MemberModel(int trial) => Member(trial);

    /// <summary>End-of-run latent analysis and IWAE bound of trial <paramref name="trial"/> on the test set, as <see cref="VaeTrainer.Analyze"/>.</summary>
    public LatentAnalysis Analyze(int trial, int iwaeSamples, int iwaeExamples)
    {
        var latents = histories[trial] is [.., { TestLatents: { } last }] ? last : EvaluateTestSplit(trial).Latents;
        return VaeEvaluator.Analyze(Member(trial), test, latents, iwaeSamples, iwaeExamples, VaeTrainer.DeriveSeed(shared.Seed, 4));
    }

    /// <summary>
    /// One checkpoint per trial after the last completed epoch, each in the form of its unpacked run's: its model, its
    /// slice of the optimizer's state, the generators' states and its history.
    /// </summary>
    public IReadOnlyList<Checkpoint> CreateCheckpoints() => [.. Enumerable.Range(0, Count).Select(CreateCheckpoint)];

    /// <summary>Trial <paramref name="trial"/>'s checkpoint after the last completed epoch (<see cref="CreateCheckpoints"/>).</summary>
    public Checkpoint CreateCheckpoint(int trial)
    {
        var member = Member(trial);
        using var memberOptimizer = VaeTrainer.CreateOptimizer(Configs[trial], [.. member.parameters()]);
        memberOptimizer.CopyMemberState(optimizer, trial, Count);
        return VaeTrainer.CreateCheckpoint(Configs[trial], DatasetHash, member, memberOptimizer, shuffleGenerator, noiseGenerator, histories[trial]);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
        foreach (var member in members) member.Dispose();
        betas.Dispose();
        shuffleGenerator.Dispose();
        noiseGenerator.Dispose();
        train.Dispose();
        test.Dispose();
    }

    private SplitEvaluation EvaluateTestSplit(int trial) =>
        VaeEvaluator.Evaluate(Member(trial), test, shared.Loss, Configs[trial].Beta, VaeTrainer.DeriveSeed(shared.Seed, 3));

    /// <summary>Trial <paramref name="trial"/>'s model with the packed weights as they are now.</summary>
    private MlpVae Member(int trial)
    {
        Model.CopyMemberTo(trial, members[trial]);
        return members[trial];
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field in which a config does not pack with the first.</summary>
    private static void CheckPackable(IReadOnlyList<TrainingConfig> configs)
    {
        if (configs.Count == 0) throw new ArgumentException("no trials to pack", nameof(configs));
        foreach (var config in configs) config.Validate();
        var first = configs[0].Resolved();
        if (first.Model != ModelKind.Mlp)
            throw new ArgumentException($"{TrainerParameters.Model.Name}: only {ModelKind.Mlp.LowerName()} trials pack, not {first.Model.LowerName()}", nameof(configs));
        for (int trial = 1; trial < configs.Count; trial++)
        {
            var config = configs[trial].Resolved();
            foreach (var parameter in TrainerParameters.All.Where(p => p != TrainerParameters.Beta))
            {
                var (expected, found) = (parameter.ValueIn(first), parameter.ValueIn(config));
                if (!Equals(expected, found))
                    throw new ArgumentException($"{parameter.Name}: packed trials differ only in {TrainerParameters.Beta.Name}; trial {trial} has {found?.ToString() ?? "none"}, trial 0 {expected?.ToString() ?? "none"}", nameof(configs));
            }
        }
    }
}

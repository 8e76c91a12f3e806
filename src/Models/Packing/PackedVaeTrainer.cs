using System.Diagnostics;
using SweepRunner.Common;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// Trains K runs that differ only in β as packed models (<see cref="PackedMlpVae"/>), each trial as its own
/// <see cref="VaeTrainer"/> run would: the same initialisation (each trial's, from its seed), the same shuffles, the same
/// noise, and a gradient that is exactly its own, since the loss Σ_k (recon_k + β_k·KL_k) ties no trial to another.
/// Sharing a seed, the trials share one shuffle and one noise draw per batch, which each would draw alone.
/// </summary>
/// <remarks>
/// <para>
/// On the CPU the group trains in lanes (<see cref="PackedLane"/>): with T libtorch threads on the calling thread (a
/// slot's), min(K, T) packed models of the trials in turn, side by side, each on a thread of its own with its share of
/// the T. At a batch of 128 a product runs as fast one trial at a time as batched, so what packing can win on a CPU is
/// in the threads: a model on T threads has them meet at each of a step's ~40 operations, where lanes never wait for
/// each other within an epoch (docs/benchmarks.md, "Trial packing"). Every lane draws the same shuffles and noise.
/// </para>
/// <para>
/// A trial's losses follow its unpacked run within float rounding, not bit for bit: the batched products and the
/// per-trial reductions sum in another order. Each trial keeps its own metrics, test evaluation and checkpoint
/// (<see cref="CreateCheckpoints"/>), which <see cref="VaeTrainer.Resume"/> continues alone.
/// A trial leaves the group when it diverges (<see cref="DivergenceOf"/>) or its caller <see cref="Retire"/>s it: it stays
/// in its packed model, whose other trials' gradients and optimizer state its own never touch (the loss is a sum and
/// the optimizer steps element by element), but it is neither checked, evaluated nor reported any more. Rebuilding a
/// smaller model would save its share of each step, at the cost of a restart: a group is small and leaves are rare.
/// </para>
/// </remarks>
public sealed class PackedVaeTrainer : IDisposable
{
    private readonly TrainingConfig shared;
    private readonly TensorSplit train;
    private readonly TensorSplit test;
    private readonly TrainerOptions options;
    private readonly Device device;
    private readonly PackedLane[] lanes;
    // Each lane's libtorch threads, when the lanes run side by side.
    private readonly int[] laneThreads;
    private readonly List<EpochReport>[] histories;
    private readonly bool[] active;
    private readonly TrainingDivergedException?[] divergences;
    private int completedEpochs;

    private PackedVaeTrainer(IReadOnlyList<TrainingConfig> configs, MnistDataset dataset, TrainerOptions? options, int threads)
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

        int laneCount = device.type == DeviceType.CPU ? Math.Clamp(threads, 1, configs.Count) : 1;
        lanes = [.. Shares(configs.Count, laneCount).Select(share => new PackedLane([.. configs.Skip(share.Start).Take(share.Count)], share.Start, device))];
        laneThreads = [.. Shares(threads, laneCount).Select(share => share.Count)];
        histories = [.. configs.Select(_ => new List<EpochReport>())];
        active = [.. configs.Select(_ => true)];
        divergences = new TrainingDivergedException?[configs.Count];
    }

    /// <summary>The trials' configs, in the order of the packed members.</summary>
    public IReadOnlyList<TrainingConfig> Configs { get; }

    public string DatasetHash { get; }

    /// <summary>Number of packed trials.</summary>
    public int Count => Configs.Count;

    /// <summary>Number of packed models that train side by side (1 off the CPU).</summary>
    public int LaneCount => lanes.Length;

    public int CompletedEpochs => completedEpochs;

    /// <summary>Each trial's epochs so far, in the order of <see cref="Configs"/>.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> Histories => histories;

    /// <summary>
    /// Fresh runs of <paramref name="configs"/>, which must differ only in β and train the MLP, in as many lanes as the
    /// calling thread has libtorch threads (at most one a trial).
    /// </summary>
    /// <exception cref="ArgumentException">A config is not valid or does not pack with the first, naming the field.</exception>
    public static PackedVaeTrainer Start(IReadOnlyList<TrainingConfig> configs, MnistDataset dataset, TrainerOptions? options = null) =>
        new(configs, dataset, options, get_num_threads());

    /// <summary><see cref="Start(IReadOnlyList{TrainingConfig}, MnistDataset, TrainerOptions?)"/> with <paramref name="threads"/> threads to share out.</summary>
    internal static PackedVaeTrainer Start(IReadOnlyList<TrainingConfig> configs, MnistDataset dataset, TrainerOptions? options, int threads) =>
        new(configs, dataset, options, threads);

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
        var reports = new EpochReport?[Count];
        if (lanes is [var only])
        {
            TrainLaneEpoch(only, epoch, reports, options, progress, cancellationToken);
        }
        else
        {
            // The first lane alone profiles, reports progress and forces the collections: the lanes keep pace with each
            // other, and a collection is the whole process's.
            var quiet = options with { Profiler = null, CollectGarbageEveryBatches = 0 };
            LibtorchThreads.RunSideBySide(
                [.. lanes.Select((lane, index) => (Action<CancellationToken>)(token =>
                    TrainLaneEpoch(lane, epoch, reports, index == 0 ? options : quiet, index == 0 ? progress : null, token)))],
                laneThreads, cancellationToken);
        }
        completedEpochs = epoch;
        return reports;
    }

    /// <summary>Internal for tests: trial <paramref name="trial"/>'s packed model and its place among that model's members.</summary>
    internal (PackedMlpVae Model, int Member) PackedModelOf(int trial)
    {
        var (lane, member) = Locate(trial);
        return (lane.Model, member);
    }

    /// <summary>One epoch of <paramref name="lane"/>: its training pass, then its active trials' test passes, each trial's report into <paramref name="reports"/> and its history.</summary>
    private void TrainLaneEpoch(PackedLane lane, int epoch, EpochReport?[] reports, TrainerOptions laneOptions, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var reconSums = new double[lane.Count];
        var klSums = new double[lane.Count];
        var profiler = laneOptions.Profiler;
        profiler?.Restart();
        lane.Model.train();
        EpochBatches.Run(train.Count, shared.BatchSize, lane.ShuffleGenerator, device, laneOptions, epoch, (indices, batch) =>
        {
            var (images, _) = train.Select(indices, conditional: false);
            profiler?.Mark(EpochPhase.Data);
            var measured = lane.Step(images, shared.Loss, profiler);
            long rows = indices.shape[0];
            for (int member = 0; member < lane.Count; member++)
            {
                int trial = lane.First + member;
                if (active[trial] && !float.IsFinite(measured[member]))
                {
                    divergences[trial] = new TrainingDivergedException(epoch, batch + 1, measured[member]);
                    active[trial] = false;
                }
                reconSums[member] += measured[lane.Count + member] * rows;
                klSums[member] += measured[(2 * lane.Count) + member] * rows;
            }
        }, progress, cancellationToken);

        double seconds = stopwatch.Elapsed.TotalSeconds;
        for (int member = 0; member < lane.Count; member++)
        {
            int trial = lane.First + member;
            if (!active[trial]) continue;
            double trainRecon = reconSums[member] / train.Count, trainKl = klSums[member] / train.Count;
            var trainMetrics = new SplitLosses(VaeLoss.Total(trainRecon, trainKl, Configs[trial].Beta), trainRecon, trainKl);
            var testPass = EvaluateTestSplit(trial);
            var report = new EpochReport(epoch, trainMetrics, testPass.Losses, seconds, train.Count / seconds, testPass.Latents);
            histories[trial].Add(report);
            reports[trial] = report;
        }
        profiler?.Mark(EpochPhase.Evaluation);
        profiler?.CompleteEpoch();
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
        var (lane, member) = Locate(trial);
        var model = lane.Member(member);
        using var memberOptimizer = VaeTrainer.CreateOptimizer(Configs[trial], [.. model.parameters()]);
        lane.CopyMemberState(member, memberOptimizer);
        return VaeTrainer.CreateCheckpoint(Configs[trial], DatasetHash, model, memberOptimizer, lane.ShuffleGenerator, lane.NoiseGenerator, histories[trial]);
    }

    public void Dispose()
    {
        foreach (var lane in lanes) lane.Dispose();
        train.Dispose();
        test.Dispose();
    }

    private SplitEvaluation EvaluateTestSplit(int trial) =>
        VaeEvaluator.Evaluate(Member(trial), test, shared.Loss, Configs[trial].Beta, VaeTrainer.DeriveSeed(shared.Seed, 3));

    /// <summary>Trial <paramref name="trial"/>'s model with the packed weights as they are now.</summary>
    private MlpVae Member(int trial)
    {
        var (lane, member) = Locate(trial);
        return lane.Member(member);
    }

    /// <summary>The lane that trains trial <paramref name="trial"/>, and the trial's place among the lane's members.</summary>
    private (PackedLane Lane, int Member) Locate(int trial)
    {
        var lane = lanes.Last(lane => lane.First <= trial);
        return (lane, trial - lane.First);
    }

    /// <summary><paramref name="total"/> split into <paramref name="parts"/> runs in turn, whose sizes differ by one at most (the larger first).</summary>
    private static IEnumerable<(int Start, int Count)> Shares(int total, int parts)
    {
        for (int part = 0, start = 0; part < parts; part++)
        {
            int count = (total / parts) + (part < total % parts ? 1 : 0);
            yield return (start, count);
            start += count;
        }
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

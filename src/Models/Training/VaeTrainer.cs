using System.Diagnostics;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Optimizers;
using SweepRunner.Models.Vae;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Training;

/// <summary>
/// Trains one VAE epoch by epoch. Every random draw (initialisation, shuffles, reparameterisation noise,
/// evaluation noise) comes from generators seeded by the config, never the global one, so that runs in
/// one process do not disturb each other and a checkpoint restores the exact stream. Those generators are CPU ones
/// on any device: their draws are moved to the model's device, so a run on CUDA draws exactly the CPU run's noise and
/// shuffles, and its checkpoint's generator states resume on either device.
/// </summary>
public sealed class VaeTrainer : IDisposable
{
    private const int AdamAndRmspropEpsilonExponent = -7;
    private const double KerasRmspropRho = 0.9;

    private readonly TensorSplit train;
    private readonly TensorSplit test;
    private readonly Generator shuffleGenerator;
    private readonly Generator noiseGenerator;
    private readonly FlatParameterOptimizer optimizer;
    private readonly TrainerOptions options;
    private readonly Device device;
    private readonly List<EpochReport> history;

    private VaeTrainer(TrainingConfig config, MnistDataset dataset, TrainerOptions? options, Checkpoint? checkpoint)
    {
        config.Validate();
        Config = config;
        DatasetHash = dataset.ContentHash;
        this.options = options ?? new TrainerOptions();
        device = torch.device(this.options.Device);

        var trainImages = config.TrainLimit is { } limit ? dataset.Train.Take(limit) : dataset.Train;
        train = TensorSplit.From(trainImages, device);
        test = TensorSplit.From(dataset.Test, device);

        using (var initGenerator = new Generator(DeriveSeed(config.Seed, 0)))
        {
            // Initialised on the CPU (the generator's device), then moved: the same weights on every device.
            Model = VariationalAutoencoder.Create(config.Model, config.LatentDim, initGenerator);
        }
        // Before the optimizer is created: it holds the parameters that moving replaces.
        Model.to(device);
        shuffleGenerator = new Generator(DeriveSeed(config.Seed, 1));
        noiseGenerator = new Generator(DeriveSeed(config.Seed, 2));
        optimizer = CreateOptimizer(config, [.. Model.parameters()]);
        history = [];

        if (checkpoint is not null) Restore(checkpoint);
    }

    public TrainingConfig Config { get; }
    public VariationalAutoencoder Model { get; }
    public string DatasetHash { get; }
    public int CompletedEpochs => history.Count;
    public IReadOnlyList<EpochReport> History => history;
    public long TrainCount => train.Count;
    public TensorSplit TestSet => test;

    /// <summary>A fresh run of <paramref name="config"/>.</summary>
    public static VaeTrainer Start(TrainingConfig config, MnistDataset dataset, TrainerOptions? options = null) =>
        new(config, dataset, options, checkpoint: null);

    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/> at its next epoch, as if never stopped.
    /// <paramref name="epochs"/> may raise the run's total epoch count.
    /// </summary>
    public static VaeTrainer Resume(Checkpoint checkpoint, MnistDataset dataset, int? epochs = null, TrainerOptions? options = null)
    {
        var config = checkpoint.Metadata.Config;
        if (epochs is { } total) config = config with { Epochs = total };
        return new VaeTrainer(config, dataset, options, checkpoint);
    }

    /// <summary>Trains the remaining epochs, calling <paramref name="onEpoch"/> after each (checkpoint there).</summary>
    public IReadOnlyList<EpochReport> Train(Action<EpochReport>? onEpoch = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        while (CompletedEpochs < Config.Epochs)
        {
            var report = TrainEpoch(progress, cancellationToken);
            onEpoch?.Invoke(report);
        }
        return history;
    }

    /// <summary>One pass over the shuffled training set, then the test metrics.</summary>
    public EpochReport TrainEpoch(IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int epoch = CompletedEpochs + 1;
        var stopwatch = Stopwatch.StartNew();
        double reconSum = 0, klSum = 0;

        var profiler = options.Profiler;
        profiler?.Restart();
        Model.train();
        EpochBatches.Run(train.Count, Config.BatchSize, shuffleGenerator, device, options, epoch, (indices, batch) =>
        {
            var (recon, kl) = TrainBatch(indices, epoch, batch, profiler);
            long rows = indices.shape[0];
            reconSum += recon * rows;
            klSum += kl * rows;
        }, progress, cancellationToken);

        double seconds = stopwatch.Elapsed.TotalSeconds;
        double trainRecon = reconSum / train.Count, trainKl = klSum / train.Count;
        var trainMetrics = new SplitLosses(VaeLoss.Total(trainRecon, trainKl, Config.Beta), trainRecon, trainKl);
        var testPass = EvaluateTestSplit();
        profiler?.Mark(EpochPhase.Evaluation);
        profiler?.CompleteEpoch();
        var report = new EpochReport(epoch, trainMetrics, testPass.Losses, seconds, train.Count / seconds, testPass.Latents);
        history.Add(report);
        return report;
    }

    /// <summary>One optimizer step on the training rows <paramref name="indices"/> (batch <paramref name="batch"/>); its mean recon and KL.</summary>
    private (double Recon, double Kl) TrainBatch(Tensor indices, int epoch, int batch, EpochProfiler? profiler)
    {
        var (images, labels) = train.Select(indices, Model.IsConditional);
        profiler?.Mark(EpochPhase.Data);

        var (mean, logVar) = Model.Encode(images, labels);
        var z = VariationalAutoencoder.Reparameterize(mean, logVar, noiseGenerator);
        var logits = Model.DecodeLogits(z, labels);
        var recon = VaeLoss.ReconstructionPerSample(logits, images, Config.Loss).mean();
        var kl = VaeLoss.KlPerSample(mean, logVar).mean();
        var loss = VaeLoss.Total(recon, kl, Config.Beta);

        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue)) throw new TrainingDivergedException(epoch, batch + 1, lossValue);
        profiler?.Mark(EpochPhase.Forward);

        optimizer.ClearGradients();
        loss.backward();
        profiler?.Mark(EpochPhase.Backward);
        optimizer.Update();
        profiler?.Mark(EpochPhase.Optimizer);
        return (recon.item<float>(), kl.item<float>());
    }

    /// <summary>Test-set recon, KL and total with the model as it is now (same noise every call).</summary>
    public SplitLosses EvaluateTest() => EvaluateTestSplit().Losses;

    /// <summary>End-of-run latent analysis and IWAE bound on the test set.</summary>
    public LatentAnalysis Analyze(int iwaeSamples, int iwaeExamples)
    {
        // Only TrainEpoch changes the model, and it measures the test split last: the last epoch's latent statistics
        // are the model's as it is now (a resumed run's too, its checkpoint holds them). The test set is encoded again
        // only when there are none: no epoch yet, or a checkpoint written before epochs carried them.
        var latents = history is [.., { TestLatents: { } last }] ? last : EvaluateTestSplit().Latents;
        return VaeEvaluator.Analyze(Model, test, latents, iwaeSamples, iwaeExamples, DeriveSeed(Config.Seed, 4));
    }

    private SplitEvaluation EvaluateTestSplit() =>
        VaeEvaluator.Evaluate(Model, test, Config.Loss, Config.Beta, DeriveSeed(Config.Seed, 3));

    /// <summary>The full state after the last completed epoch.</summary>
    public Checkpoint CreateCheckpoint() =>
        CreateCheckpoint(Config, DatasetHash, Model, optimizer, shuffleGenerator, noiseGenerator, history);

    /// <summary>
    /// The checkpoint of a run of <paramref name="config"/> from its parts; packed trials write theirs with it too, so
    /// that each resumes alone here.
    /// </summary>
    internal static Checkpoint CreateCheckpoint(
        TrainingConfig config, string datasetHash, VariationalAutoencoder model, FlatParameterOptimizer optimizer,
        Generator shuffleGenerator, Generator noiseGenerator, IReadOnlyList<EpochReport> history)
    {
        Tensor[] modelTensors = [.. model.parameters(), .. model.buffers()];
        using var modelStream = new MemoryStream(SavedStateSize.Of(modelTensors, modelTensors.Length));
        model.save(modelStream);
        using var optimizerStream = new MemoryStream(optimizer.SavedStateCapacity);
        using (var writer = new BinaryWriter(optimizerStream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.Save(writer);
        }

        var metadata = new CheckpointMetadata
        {
            Config = config,
            Epoch = history.Count,
            DatasetHash = datasetHash,
            ShuffleGeneratorState = GeneratorState(shuffleGenerator),
            NoiseGeneratorState = GeneratorState(noiseGenerator),
            History = [.. history],
        };
        return new Checkpoint(metadata, modelStream.ToArray(), optimizerStream.ToArray());
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
        shuffleGenerator.Dispose();
        noiseGenerator.Dispose();
        train.Dispose();
        test.Dispose();
    }

    private void Restore(Checkpoint checkpoint)
    {
        var metadata = checkpoint.Metadata;
        const string source = "checkpoint";
        if (metadata.DatasetHash != DatasetHash)
            throw new CheckpointException(source, $"trained on dataset {metadata.DatasetHash[..12]}…, not on the loaded one ({DatasetHash[..12]}…)");
        if (metadata.Epoch != metadata.History.Count)
            throw new CheckpointException(source, $"says epoch {metadata.Epoch} but holds {metadata.History.Count} epochs of metrics");

        try
        {
            using (var modelStream = new MemoryStream(checkpoint.ModelState, writable: false))
            {
                Model.load(modelStream, strict: true);
            }
            using var optimizerReader = new BinaryReader(new MemoryStream(checkpoint.OptimizerState, writable: false));
            optimizer.Load(optimizerReader);
            SetGeneratorState(shuffleGenerator, metadata.ShuffleGeneratorState);
            SetGeneratorState(noiseGenerator, metadata.NoiseGeneratorState);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or InvalidDataException or NotImplementedException)
        {
            throw new CheckpointException(source, $"does not fit a {metadata.Config.Model} model with latent dim {metadata.Config.LatentDim}: {ex.Message}");
        }

        history.AddRange(metadata.History);
    }

    /// <summary>The optimizer <paramref name="config"/> names, with Keras' ε and ρ, over <paramref name="parameters"/>.</summary>
    internal static FlatParameterOptimizer CreateOptimizer(TrainingConfig config, IReadOnlyList<Parameter> parameters)
    {
        double epsilon = Math.Pow(10, AdamAndRmspropEpsilonExponent);
        return config.EffectiveOptimizer switch
        {
            OptimizerKind.Adam => new FlatAdam(parameters, config.LearningRate, epsilon),
            // TorchSharp's RMSprop defaults (lr 0.01, alpha 0.99) differ from Keras' (lr 0.001, rho 0.9).
            OptimizerKind.Rmsprop => new FlatRmsprop(parameters, config.LearningRate, KerasRmspropRho, epsilon),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.EffectiveOptimizer, "unknown optimizer"),
        };
    }

    /// <summary>Independent, reproducible streams per purpose from one user seed.</summary>
    internal static ulong DeriveSeed(int seed, int stream) => unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)stream * 0xBF58476D1CE4E5B9UL) ^ 0x5EED);

    private static byte[] GeneratorState(Generator generator)
    {
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    private static void SetGeneratorState(Generator generator, byte[] bytes)
    {
        using var state = tensor(bytes, [bytes.Length], ScalarType.Byte);
        generator.set_state(state);
    }
}

using SweepRunner.Contracts.Training;
using SweepRunner.Models.Data;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Tests.Training;

[Collection(MnistTrainingGroup.Name)]
public sealed class TrainerTests(BundledMnistFixture mnist)
{
    private readonly MnistDataset dataset = mnist.Dataset;

    private static TrainingConfig Small(int seed = 0, int epochs = 2) =>
        new() { Model = ModelKind.Mlp, Epochs = epochs, TrainLimit = 2000, Seed = seed };

    [Fact]
    public void Training_lowers_the_test_loss_and_reports_every_epoch()
    {
        using var trainer = VaeTrainer.Start(Small(epochs: 3), dataset);
        double untrained = trainer.EvaluateTest().Total;
        var reports = new List<EpochReport>();

        trainer.Train(reports.Add);

        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.All(reports, r =>
        {
            Assert.True(r.Seconds > 0 && r.SamplesPerSecond > 0);
            Assert.Equal(r.Train.Recon + r.Train.Kl, r.Train.Total, 6);
            Assert.Equal(r.Test.Recon + r.Test.Kl, r.Test.Total, 6);
        });
        Assert.True(reports[^1].Test.Total < reports[0].Test.Total, "test loss did not fall over epochs");
        Assert.True(reports[0].Test.Total < untrained - 100, $"one epoch barely improved on {untrained}");
        Assert.Equal(3, trainer.CompletedEpochs);
    }

    [Fact]
    public void Same_seed_and_threads_give_the_same_test_loss_and_another_seed_does_not()
    {
        double Run(int seed)
        {
            using var trainer = VaeTrainer.Start(Small(seed), dataset);
            return trainer.Train()[^1].Test.Total;
        }

        double first = Run(5), second = Run(5), other = Run(6);
        Assert.True(Math.Abs(first - second) < 1e-5, $"{first} vs {second}");
        Assert.True(Math.Abs(first - other) > 1e-3, $"seeds 5 and 6 both gave {first}");
    }

    [Fact]
    public void Beta_weights_the_kl_term_of_the_loss()
    {
        using var trainer = VaeTrainer.Start(Small() with { Beta = 4, Epochs = 1 }, dataset);
        var report = trainer.Train()[0];
        Assert.Equal(report.Test.Recon + (4 * report.Test.Kl), report.Test.Total, 6);
        Assert.Equal(report.Train.Recon + (4 * report.Train.Kl), report.Train.Total, 6);
    }

    [Fact]
    public void Cancellation_stops_between_batches_without_recording_the_epoch()
    {
        using var trainer = VaeTrainer.Start(Small(), dataset);
        using var cancellation = new CancellationTokenSource();
        int batchesSeen = 0;
        var progress = new SynchronousProgress<BatchProgress>(p =>
        {
            batchesSeen = p.Batch;
            if (p.Batch == 3) cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(progress: progress, cancellationToken: cancellation.Token));
        Assert.Equal(3, batchesSeen);
        Assert.Equal(0, trainer.CompletedEpochs);
    }

    [Fact]
    public void A_loss_that_becomes_nan_stops_the_run_as_diverged()
    {
        // An absurd learning rate drives the weights to infinity within a few Adam steps.
        using var trainer = VaeTrainer.Start(Small() with { LearningRate = 1e30 }, dataset);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.StartsWith("diverged: loss is", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Epoch);
        Assert.True(error.Batch > 1);
    }

    [Theory]
    [InlineData(ModelKind.Cnn)]
    [InlineData(ModelKind.Cvae)]
    public void Convolutional_models_train_with_rmsprop_by_default(ModelKind kind)
    {
        var config = new TrainingConfig { Model = kind, Epochs = 1, TrainLimit = 512 };
        Assert.Equal(OptimizerKind.Rmsprop, config.EffectiveOptimizer);
        using var trainer = VaeTrainer.Start(config, dataset);
        double before = trainer.EvaluateTest().Total;
        var report = trainer.Train()[0];
        Assert.True(double.IsFinite(report.Test.Total));
        Assert.True(report.Test.Total < before, $"{kind}: {report.Test.Total} is not below the untrained {before}");
    }

    [Fact]
    public void Mse_runs_report_a_smaller_reconstruction_scale_than_bce()
    {
        using var trainer = VaeTrainer.Start(Small() with { Loss = ReconstructionLoss.Mse, Epochs = 1 }, dataset);
        var report = trainer.Train()[0];
        // 784 × mean squared error of pixels in [0, 1] is at most 784, and far below for a trained model.
        Assert.InRange(report.Test.Recon, 1, 100);
    }

    [Theory]
    [InlineData(0.0, "beta")]
    [InlineData(double.NaN, "beta")]
    [InlineData(-1.0, "beta")]
    public void Invalid_config_is_rejected_naming_the_field(double beta, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => VaeTrainer.Start(Small() with { Beta = beta }, dataset));
        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; these tests need the callback inline.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

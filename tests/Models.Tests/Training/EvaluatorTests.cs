using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;

namespace SweepRunner.Models.Tests.Training;

[Collection(MnistTrainingGroup.Name)]
public sealed class EvaluatorTests(BundledMnistFixture mnist)
{
    [Fact]
    public void Analysis_reports_per_dimension_kl_active_units_and_an_iwae_bound()
    {
        var config = new TrainingConfig { Model = ModelKind.Mlp, Epochs = 2, TrainLimit = 3000, LatentDim = 4 };
        using var trainer = VaeTrainer.Start(config, mnist.Dataset);
        var test = trainer.Train()[^1].Test;

        var single = trainer.Analyze(iwaeSamples: 1, iwaeExamples: 2000);
        var many = trainer.Analyze(iwaeSamples: 64, iwaeExamples: 2000);

        Assert.Equal(4, many.KlPerDimension.Count);
        Assert.Equal(4, many.MeanVariancePerDimension.Count);
        // The closed-form KL does not depend on the sampled noise: per-dimension terms add up to the test KL.
        Assert.Equal(test.Kl, many.KlPerDimension.Sum(), 2);
        Assert.Equal(many.MeanVariancePerDimension.Count(v => v > LatentStatistics.ActiveUnitThreshold), many.ActiveUnits);
        Assert.InRange(many.ActiveUnits, 1, 4);

        // k = 1 is a single-sample ELBO; more samples tighten the bound, so the NLL estimate falls.
        Assert.Equal(64, many.IwaeSamples);
        Assert.Equal(2000, many.IwaeExamples);
        Assert.True(many.IwaeNll < single.IwaeNll, $"IWAE(64) {many.IwaeNll} not below IWAE(1) {single.IwaeNll}");
        Assert.InRange(single.IwaeNll, test.Total - 15, test.Total + 15);
    }

    [Fact]
    public void Every_epoch_carries_the_test_kl_per_dimension_and_active_units_the_end_of_run_analysis_gives()
    {
        var config = new TrainingConfig { Model = ModelKind.Mlp, Epochs = 2, TrainLimit = 2000, LatentDim = 4 };
        using var trainer = VaeTrainer.Start(config, mnist.Dataset);
        var epochs = trainer.Train();

        Assert.All(epochs, epoch =>
        {
            var latents = Assert.IsType<LatentStatistics>(epoch.TestLatents);
            Assert.Equal(4, latents.KlPerDimension.Count);
            // Summed per dimension in float64, the test KL per batch in float32: equal to float tolerance.
            Assert.Equal(epoch.Test.Kl, latents.KlPerDimension.Sum(), 1e-5 * epoch.Test.Kl);
            Assert.Equal(latents.MeanVariancePerDimension.Count(v => v > LatentStatistics.ActiveUnitThreshold), latents.ActiveUnits);
        });
        var last = epochs[^1].TestLatents!;
        Assert.InRange(last.ActiveUnits, 1, 4);
        Assert.Equal(last.ActiveUnits, trainer.Analyze(iwaeSamples: 2, iwaeExamples: 100).ActiveUnits);

        // The same model state without the epochs' statistics (a checkpoint of an older version): the end-of-run
        // analysis encodes the test set again, and finds what the last epoch's test pass found.
        var checkpoint = trainer.CreateCheckpoint();
        var withoutLatents = checkpoint.Metadata with { History = [.. checkpoint.Metadata.History.Select(epoch => epoch with { TestLatents = null })] };
        using var resumed = VaeTrainer.Resume(new Checkpoint(withoutLatents, checkpoint.ModelState, checkpoint.OptimizerState), mnist.Dataset);
        var fresh = resumed.Analyze(iwaeSamples: 2, iwaeExamples: 100);
        Assert.Equal(last.ActiveUnits, fresh.ActiveUnits);
        Assert.Equal(last.KlPerDimension, fresh.KlPerDimension, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(last.MeanVariancePerDimension, fresh.MeanVariancePerDimension, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void A_dimension_the_encoder_ignores_is_not_an_active_unit()
    {
        // With a huge β the KL term dominates and the posterior collapses onto the prior.
        var config = new TrainingConfig { Model = ModelKind.Mlp, Epochs = 2, TrainLimit = 4000, Beta = 500, LearningRate = 0.005 };
        using var trainer = VaeTrainer.Start(config, mnist.Dataset);
        trainer.Train();
        var analysis = trainer.Analyze(iwaeSamples: 4, iwaeExamples: 200);
        Assert.Equal(0, analysis.ActiveUnits);
        Assert.All(analysis.KlPerDimension, kl => Assert.True(kl < 0.1, $"KL {kl} of a collapsed dimension"));
    }
}

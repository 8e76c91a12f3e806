using SweepRunner.Contracts.Training;
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
        Assert.Equal(many.MeanVariancePerDimension.Count(v => v > VaeEvaluator.ActiveUnitThreshold), many.ActiveUnits);
        Assert.InRange(many.ActiveUnits, 1, 4);

        // k = 1 is a single-sample ELBO; more samples tighten the bound, so the NLL estimate falls.
        Assert.Equal(64, many.IwaeSamples);
        Assert.Equal(2000, many.IwaeExamples);
        Assert.True(many.IwaeNll < single.IwaeNll, $"IWAE(64) {many.IwaeNll} not below IWAE(1) {single.IwaeNll}");
        Assert.InRange(single.IwaeNll, test.Total - 15, test.Total + 15);
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

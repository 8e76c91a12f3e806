using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Training;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

/// <summary>The real warm-up runs a small trial through every step, and changes nothing a later trial computes.</summary>
public sealed class VaeTrialTrainerWarmUpTests
{
    private static readonly TrialTrainingConfig Trial = new(new TrainingConfig { Seed = 7, TrainLimit = 256 }, Dataset: null);

    [Fact]
    public void A_trial_after_the_warm_up_trains_exactly_as_one_without_it()
    {
        var cold = TrainOneEpoch(new VaeTrialTrainer(Options.Create(new WorkerOptions())));
        var warmed = new VaeTrialTrainer(Options.Create(new WorkerOptions()));

        warmed.WarmUp();
        var warm = TrainOneEpoch(warmed);

        Assert.Equal((cold.Train.Total, cold.Test.Total), (warm.Train.Total, warm.Test.Total));
        Assert.True(double.IsFinite(warm.Test.Total) && warm.Test.Total > 0, $"test loss {warm.Test.Total}");
    }

    private static EpochReport TrainOneEpoch(VaeTrialTrainer trainer)
    {
        using var run = trainer.Open(Trial, checkpoint: null);
        return run.TrainEpoch(CancellationToken.None);
    }
}

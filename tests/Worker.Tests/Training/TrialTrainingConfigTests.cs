using SweepRunner.Contracts.Training;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

public sealed class TrialTrainingConfigTests
{
    [Fact]
    public void Every_trainer_parameter_of_a_trial_maps_onto_the_training_config()
    {
        var trial = TrialTrainingConfig.FromJson(
            """{"batch_size":64,"beta":4.0,"dataset":"mnist","epochs":3,"latent_dim":8,"loss":"mse","lr":0.0005,"model":"cnn","optimizer":"adam","seed":7,"train_limit":2000,"x_note":"free"}""");

        var expected = new TrainingConfig
        {
            Model = ModelKind.Cnn, Loss = ReconstructionLoss.Mse, Beta = 4, LatentDim = 8, Epochs = 3, BatchSize = 64,
            LearningRate = 0.0005, Optimizer = OptimizerKind.Adam, Seed = 7, TrainLimit = 2000,
        };
        Assert.Equal(expected, trial.Training);
        Assert.Equal("mnist", trial.Dataset);
    }

    [Fact]
    public void Parameters_a_trial_does_not_set_keep_the_trainer_defaults()
    {
        var trial = TrialTrainingConfig.FromJson("""{"beta":1.0}""");

        Assert.Equal(new TrainingConfig(), trial.Training);
        Assert.Null(trial.Dataset);
    }

    [Theory]
    [InlineData("""{"model":"rnn"}""", "model")]
    [InlineData("""{"epochs":1.5}""", "epochs")]
    [InlineData("""{"beta":-1.0}""", "beta")]
    public void A_value_the_trainer_cannot_use_is_refused_naming_the_parameter(string json, string parameter)
    {
        var error = Assert.Throws<FormatException>(() => TrialTrainingConfig.FromJson(json));

        Assert.StartsWith(parameter + ":", error.Message, StringComparison.Ordinal);
    }
}

using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Tests;

public sealed class TrainBadInputTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("--beta 0", "--beta: 0 is not valid; expected a number > 0")]
    [InlineData("--beta -1", "--beta: -1 is not valid; expected a number > 0")]
    [InlineData("--beta NaN", "--beta: NaN is not valid; expected a number > 0")]
    [InlineData("--beta Infinity", "--beta: Infinity is not valid; expected a number > 0")]
    [InlineData("--lr 0", "--lr: 0 is not valid; expected a number > 0")]
    [InlineData("--model foo", "--model: Argument 'foo' not recognized. Must be one of: 'mlp' 'cnn' 'cvae'")]
    [InlineData("--loss foo", "--loss: Argument 'foo' not recognized. Must be one of: 'bce' 'mse'")]
    [InlineData("--optimizer sgd", "--optimizer: Argument 'sgd' not recognized. Must be one of: 'adam' 'rmsprop'")]
    [InlineData("--digit 3 --model mlp", "--digit: 3 needs a model conditioned on the digit; expected --model cvae, but the model is mlp")]
    [InlineData("--digit 12 --model cvae", "--digit: 12 is not valid; expected a digit 0-9")]
    [InlineData("--digit -1 --model cvae", "--digit: -1 is not valid; expected a digit 0-9")]
    [InlineData("--epochs 0", "--epochs: 0 is not valid; expected an integer >= 1")]
    [InlineData("--epochs abc", "--epochs: abc is not valid; expected an integer >= 1")]
    [InlineData("--batch-size 0", "--batch-size: 0 is not valid; expected an integer >= 1")]
    [InlineData("--latent-dim 0", "--latent-dim: 0 is not valid; expected an integer >= 1")]
    [InlineData("--train-limit 0", "--train-limit: 0 is not valid; expected an integer >= 1")]
    [InlineData("--threads 0", "--threads: 0 is not valid; expected an integer >= 1")]
    [InlineData("--seed abc", "--seed: abc is not valid; expected an integer >= -2147483648")]
    [InlineData("--frobnicate 3", "Unrecognized command or argument '--frobnicate'")]
    public async Task Bad_option_exits_2_naming_the_option_and_what_is_expected(string options, string expected)
    {
        var result = await Sweep.RunAsync(["train", .. options.Split(' '), "--out", temp.File("run")]);

        CommandAssert.BadInput(result, expected);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public async Task Every_bad_option_is_reported()
    {
        var result = await Sweep.RunAsync("train", "--epochs", "0", "--beta", "0");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("error: --epochs:", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: --beta:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_with_the_usage()
    {
        var result = await Sweep.RunAsync("train", "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("--model <cnn|cvae|mlp>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--iwae-examples", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Weights_that_are_not_a_checkpoint_exit_2()
    {
        var path = temp.File("notes.txt");
        await File.WriteAllTextAsync(path, "not a checkpoint");

        var result = await Sweep.RunAsync("train", "--weights", path, "--out", temp.File("run"));

        CommandAssert.BadInput(result, $"--weights: {path}: not a SweepRunner checkpoint");
    }

    [Fact]
    public async Task Missing_weights_file_exits_2()
    {
        var result = await Sweep.RunAsync("train", "--weights", temp.File("absent"), "--out", temp.File("run"));

        CommandAssert.BadInput(result, "file not found");
    }

    [Fact]
    public async Task Weights_of_another_model_than_the_one_asked_exit_2_naming_both()
    {
        var path = SaveCheckpoint(new TrainingConfig { Model = ModelKind.Cnn });

        var result = await Sweep.RunAsync("train", "--weights", path, "--model", "mlp", "--out", temp.File("run"));

        CommandAssert.BadInput(result, "--model: the checkpoint");
        Assert.Contains("trained with cnn, but mlp was given", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weights_of_another_latent_dim_than_the_one_asked_exit_2_naming_both()
    {
        var path = SaveCheckpoint(new TrainingConfig { LatentDim = 2 });

        var result = await Sweep.RunAsync("train", "--weights", path, "--latent-dim", "8", "--out", temp.File("run"));

        CommandAssert.BadInput(result, "--latent-dim: the checkpoint");
        Assert.Contains("trained with 2, but 8 was given", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digit_with_weights_of_an_unconditional_model_exits_2()
    {
        var path = SaveCheckpoint(new TrainingConfig { Model = ModelKind.Cnn });

        var result = await Sweep.RunAsync("train", "--weights", path, "--digit", "4", "--out", temp.File("run"));

        CommandAssert.BadInput(result, "--digit: 4 needs a model conditioned on the digit; expected --model cvae, but the model is cnn");
    }

    [Fact]
    public async Task Missing_data_folder_exits_2()
    {
        var result = await Sweep.RunAsync("train", "--data", temp.File("no-mnist"), "--out", temp.File("run"));

        CommandAssert.BadInput(result, "--data:");
        Assert.Contains("folder not found", result.Error, StringComparison.Ordinal);
    }

    // The options are checked against the checkpoint's config before anything is restored, so its tensors may be empty.
    private string SaveCheckpoint(TrainingConfig config) =>
        CheckpointFiles.Save(temp.File($"{config.Model}.checkpoint"), config, modelState: []);
}

using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;

namespace SweepRunner.Cli.Tests;

/// <summary><c>sweep sample</c> and <c>sweep manifold</c>: the book's decoder test from a checkpoint.</summary>
[Collection(TrainingGroup.Name)]
public sealed class DecoderCommandTests(TrainedMlpFixture trained) : IDisposable
{
    private readonly TempDirectory temp = new();

    private string TrainedCheckpoint => Path.Combine(trained.Out, Checkpoint.FileName);

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Sample_writes_n_digits_10_to_a_row_and_the_same_for_the_same_seed()
    {
        var first = await Sweep.RunAsync("sample", "--checkpoint", TrainedCheckpoint, "--n", "25", "--seed", "4", "--out", temp.File("a.png"));
        var second = await Sweep.RunAsync("sample", "--checkpoint", TrainedCheckpoint, "--n", "25", "--seed", "4", "--out", temp.File("b.png"));

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        RunFiles.AssertListed(first.Output, temp.File("a.png"));
        RunFiles.AssertPng(temp.File("a.png"), 280, 84);
        Assert.Equal(File.ReadAllBytes(temp.File("a.png")), File.ReadAllBytes(temp.File("b.png")));
    }

    [Fact]
    public async Task Sample_defaults_to_a_10_by_10_grid()
    {
        var result = await Sweep.RunAsync("sample", "--checkpoint", TrainedCheckpoint, "--out", temp.File("nested/samples.png"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        RunFiles.AssertPng(temp.File("nested/samples.png"), 280, 280);
    }

    [Fact]
    public async Task Manifold_writes_the_30_by_30_grid_with_its_axes()
    {
        var result = await Sweep.RunAsync("manifold", "--checkpoint", TrainedCheckpoint, "--out", temp.File("manifold.png"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        RunFiles.AssertPng(temp.File("manifold.png"), 930, 940);
    }

    [Fact]
    public async Task Manifold_of_a_cvae_writes_one_10_by_10_file_per_digit_or_the_chosen_one()
    {
        var cvae = CheckpointFiles.SaveUntrained(temp.File("cvae.checkpoint"), ModelKind.Cvae);

        var all = await Sweep.RunAsync("manifold", "--checkpoint", cvae, "--out", temp.File("m.png"));
        var seven = await Sweep.RunAsync("manifold", "--checkpoint", cvae, "--digit", "7", "--out", temp.File("seven.png"));

        Assert.True(all.ExitCode == ExitCodes.Ok, all.Error);
        for (int digit = 0; digit < 10; digit++) RunFiles.AssertPng(temp.File($"m-digit-{digit}.png"), 370, 380);
        Assert.False(File.Exists(temp.File("m.png")));
        Assert.True(seven.ExitCode == ExitCodes.Ok, seven.Error);
        RunFiles.AssertPng(temp.File("seven.png"), 370, 380);
    }

    [Fact]
    public async Task Sample_of_a_cvae_digit_writes_that_digit()
    {
        var cvae = CheckpointFiles.SaveUntrained(temp.File("cvae.checkpoint"), ModelKind.Cvae);

        var result = await Sweep.RunAsync("sample", "--checkpoint", cvae, "--digit", "3", "--n", "10", "--out", temp.File("threes.png"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        RunFiles.AssertPng(temp.File("threes.png"), 280, 28);
    }

    [Theory]
    [InlineData("sample", "--n 0", "--n: 0 is not valid; expected an integer >= 1")]
    [InlineData("sample", "--n -3", "--n: -3 is not valid; expected an integer >= 1")]
    [InlineData("sample", "--digit 12", "--digit: 12 is not valid; expected a digit 0-9")]
    [InlineData("manifold", "--digit -1", "--digit: -1 is not valid; expected a digit 0-9")]
    [InlineData("sample", "--digit 3", "--digit: 3 needs a model conditioned on the digit; expected a cvae checkpoint, but the model is mlp")]
    [InlineData("manifold", "--digit 3", "--digit: 3 needs a model conditioned on the digit; expected a cvae checkpoint, but the model is mlp")]
    public async Task Bad_options_exit_2_naming_the_option(string command, string options, string expected)
    {
        var result = await Sweep.RunAsync([command, "--checkpoint", TrainedCheckpoint, .. options.Split(' '), "--out", temp.File("x.png")]);

        CommandAssert.BadInput(result, expected);
        Assert.False(File.Exists(temp.File("x.png")));
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("manifold")]
    public async Task A_missing_checkpoint_exits_2_naming_the_file(string command)
    {
        var missing = temp.File("absent");

        var result = await Sweep.RunAsync(command, "--checkpoint", missing, "--out", temp.File("x.png"));

        CommandAssert.BadInput(result, $"--checkpoint: {missing}: file not found");
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("manifold")]
    public async Task A_file_that_is_not_a_checkpoint_exits_2_naming_the_file(string command)
    {
        var notes = temp.File("notes.txt");
        await File.WriteAllTextAsync(notes, "these are not the weights you are looking for, and they are long enough");

        var result = await Sweep.RunAsync(command, "--checkpoint", notes, "--out", temp.File("x.png"));

        CommandAssert.BadInput(result, $"--checkpoint: {notes}: not a SweepRunner checkpoint");
    }

    [Fact]
    public async Task A_checkpoint_whose_model_state_is_damaged_exits_2()
    {
        var original = Checkpoint.Load(TrainedCheckpoint);
        var damaged = temp.File("damaged");
        new Checkpoint(original.Metadata, original.ModelState[..(original.ModelState.Length / 2)], original.OptimizerState).Save(damaged);

        var result = await Sweep.RunAsync("sample", "--checkpoint", damaged, "--out", temp.File("x.png"));

        CommandAssert.BadInput(result, $"--checkpoint: {damaged}: model state does not fit");
    }

    [Fact]
    public async Task Manifold_of_a_one_dimensional_latent_exits_2()
    {
        var path = CheckpointFiles.SaveUntrained(temp.File("line.checkpoint"), ModelKind.Mlp, latentDim: 1);

        var result = await Sweep.RunAsync("manifold", "--checkpoint", path, "--out", temp.File("x.png"));

        CommandAssert.BadInput(result, "--checkpoint: the manifold spans z[0] and z[1], but the model's latent dim is 1");
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("manifold")]
    public async Task Checkpoint_and_out_are_required(string command)
    {
        var result = await Sweep.RunAsync(command);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--checkpoint", result.Error, StringComparison.Ordinal);
        Assert.Contains("--out", result.Error, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Tests;

[Collection(TrainingGroup.Name)]
public sealed class TrainRunTests(TrainedMlpFixture trained) : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Run_exits_0_and_writes_checkpoint_metrics_config_and_samples()
    {
        Assert.True(trained.Result.ExitCode == ExitCodes.Ok, trained.Result.Error);
        Assert.Empty(trained.Result.Error);
        Assert.Equal(2, Checkpoint.Load(Path.Combine(trained.Out, Checkpoint.FileName)).Metadata.Epoch);
        RunFiles.AssertPng(Path.Combine(trained.Out, "samples.png"), 280, 280);
        Assert.False(File.Exists(Path.Combine(trained.Out, "metrics.json.tmp")));
    }

    [Theory]
    [InlineData("latent-scatter.png", 880, 740)]
    [InlineData("manifold.png", 930, 940)]
    [InlineData("samples.png", 280, 280)]
    [InlineData("loss-curves.png", 1440, 420)]
    public void Run_writes_the_trial_figures_and_lists_them(string name, int width, int height)
    {
        var path = Path.Combine(trained.Out, name);
        RunFiles.AssertPng(path, width, height);
        RunFiles.AssertListed(trained.Result.Output, path);
    }

    [Fact]
    public void Metrics_hold_both_epochs_with_finite_losses_and_the_analysis()
    {
        var metrics = RunFiles.Metrics(trained.Out);

        Assert.Equal([1, 2], metrics.Epochs.Select(e => e.Epoch));
        Assert.All(metrics.Epochs, e => Assert.All(new[] { e.Train, e.Test }, AssertFinite));
        Assert.Equal(2, metrics.Config.Epochs);
        Assert.Equal(1000, metrics.Config.TrainLimit);
        var analysis = Assert.IsType<LatentAnalysis>(metrics.Analysis);
        Assert.Equal(2, analysis.KlPerDimension.Count);
        Assert.True(double.IsFinite(analysis.IwaeNll));
        Assert.All(metrics.Epochs, e => Assert.Equal(2, e.TestLatents?.KlPerDimension.Count));
        Assert.Equal(analysis.ActiveUnits, metrics.Epochs[^1].TestLatents?.ActiveUnits);
    }

    [Fact]
    public void Config_json_holds_the_config_the_dataset_and_the_threads()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.Out, "config.json")));
        var root = config.RootElement;

        Assert.Equal("mlp", root.GetProperty("config").GetProperty("model").GetString());
        Assert.Equal(64, root.GetProperty("dataset_hash").GetString()!.Length);
        Assert.True(Directory.Exists(root.GetProperty("dataset_folder").GetString()));
        Assert.True(root.GetProperty("threads").GetInt32() >= 1);
        Assert.False(root.TryGetProperty("digit", out _));
    }

    [Fact]
    public void Output_has_the_epoch_table_and_the_analysis()
    {
        var output = trained.Result.Output;

        Assert.Contains("samples/s", output, StringComparison.Ordinal);
        Assert.Contains("epoch 2: test loss", output, StringComparison.Ordinal);
        Assert.Contains("active units: ", output, StringComparison.Ordinal);
        Assert.Contains("IWAE NLL: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resuming_trains_up_to_the_total_epochs_and_keeps_the_earlier_ones()
    {
        var result = await Sweep.RunAsync("train", "--weights", Path.Combine(trained.Out, Checkpoint.FileName), "--epochs", "3", "--out", temp.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var before = RunFiles.Metrics(trained.Out);
        var after = RunFiles.Metrics(temp.Path);
        Assert.Equal([1, 2, 3], after.Epochs.Select(e => e.Epoch));
        Assert.Equal(before.Epochs, after.Epochs.Take(2));
        Assert.Equal(3, after.Config.Epochs);
        Assert.Equal(1000, after.Config.TrainLimit);
    }

    [Fact]
    public async Task Json_with_nothing_left_to_train_prints_the_metrics_and_the_out_folder()
    {
        var result = await Sweep.RunAsync("train", "--weights", Path.Combine(trained.Out, Checkpoint.FileName), "--epochs", "2", "--json", "--out", temp.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(temp.Path, root.GetProperty("out").GetString());
        Assert.Equal(2, root.GetProperty("epochs").GetArrayLength());
        Assert.True(root.GetProperty("analysis").GetProperty("iwae_nll").GetDouble() > 0);
        var lastLatents = root.GetProperty("epochs")[1].GetProperty("test_latents");
        Assert.Equal(2, lastLatents.GetProperty("kl_per_dimension").GetArrayLength());
        Assert.Equal(root.GetProperty("analysis").GetProperty("active_units").GetInt32(), lastLatents.GetProperty("active_units").GetInt32());
        Assert.Equal(RunFiles.Metrics(trained.Out).Epochs, RunFiles.Metrics(temp.Path).Epochs);
        Assert.True(File.Exists(Path.Combine(temp.Path, Checkpoint.FileName)));
    }

    [Fact]
    public async Task Cancelled_run_exits_130_and_names_the_last_checkpoint()
    {
        var weights = Path.Combine(trained.Out, Checkpoint.FileName);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var result = await Sweep.RunAsync(cancellation.Token, "train", "--weights", weights, "--epochs", "3", "--out", temp.Path);

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Equal($"error: cancelled; the checkpoint of epoch 2 is {weights}", result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(temp.Path, "metrics.json")));
    }

    private static void AssertFinite(SplitLosses metrics)
    {
        Assert.True(double.IsFinite(metrics.Total) && double.IsFinite(metrics.Recon) && double.IsFinite(metrics.Kl), metrics.ToString());
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>The client commands (submit, status, watch, cancel, best) against a coordinator running in this process.</summary>
public sealed class RemoteCommandTests(InProcessCoordinator coordinator) : IClassFixture<InProcessCoordinator>
{
    private const string BetaGrid = "method: grid\nmetric: {name: test.total, goal: minimize}\nparameters:\n  beta:\n    values: [1, 4]\n";

    [Fact]
    public async Task An_unreachable_coordinator_exits_4()
    {
        var result = await Sweep.RunAsync("status", "--coordinator", $"http://127.0.0.1:{FreePort.Pick()}");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("error: cannot reach the coordinator at http://127.0.0.1:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_sweep_exits_3()
    {
        var id = Guid.NewGuid();

        var result = await Sweep.RunAsync("status", id.ToString(), "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains($"no sweep {id}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_sweep_file_exits_2_with_file_line_and_column()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("bad.yaml");
        await File.WriteAllTextAsync(spec, "method: grid\nparameters:\n  beta:\n    values: [1, -4]\n");

        var result = await Sweep.RunAsync("submit", spec, "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Matches(@"^error: bad\.yaml:4:\d+: parameters\.beta", result.Error);
    }

    [Fact]
    public async Task A_submitted_sweep_shows_in_status_and_cancelling_it_ends_watch_with_1()
    {
        var id = await SubmitAsync(BetaGrid);

        var status = await Sweep.RunAsync("status", id.ToString(), "--coordinator", coordinator.Url, "--json");
        var list = await Sweep.RunAsync("status", "--coordinator", coordinator.Url, "--json");
        var cancel = await Sweep.RunAsync("cancel", id.ToString(), "--coordinator", coordinator.Url);
        var watch = await Sweep.RunAsync("watch", id.ToString(), "--coordinator", coordinator.Url, "--json");

        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        var detail = JsonNode.Parse(status.Output)!;
        Assert.Equal((2, 2), ((int)detail["sweep"]!["trials"]!, (int)detail["trials_by_status"]!["pending"]!));
        Assert.Contains(JsonNode.Parse(list.Output)!.AsArray(), sweep => (string?)sweep!["id"] == id.ToString());
        Assert.Equal((ExitCodes.Ok, true), (cancel.ExitCode, cancel.Output.Contains("cancelled", StringComparison.Ordinal)));
        Assert.Equal(ExitCodes.Failure, watch.ExitCode);
        Assert.Equal(2, (int)JsonNode.Parse(watch.Output)!["trials_by_status"]!["cancelled"]!);
    }

    [Fact]
    public async Task Status_of_a_sweep_shows_the_bytes_of_its_stored_checkpoints()
    {
        var id = await SubmitAsync(BetaGrid);
        var trial = (await coordinator.Service<TrialLeases>().LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
        await coordinator.Service<CheckpointStore>().PutAsync(trial.Id, trial.LeaseId!.Value, 1, new byte[1_234_567]);

        var status = await Sweep.RunAsync("status", id.ToString(), "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        Assert.Contains("\ncheckpoints: 1.2 MB\n", status.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Best_pull_writes_the_best_trials_checkpoint_config_metrics_and_figures_verified() => await WithOwnCoordinatorAsync(PullBestAsync);

    [Fact]
    public async Task Best_pull_refuses_a_figure_name_that_would_write_outside_its_folder() => await WithOwnCoordinatorAsync(PullEscapingFigureAsync);

    /// <summary>
    /// Runs <paramref name="test"/> on a coordinator of its own: the scheduler leases the oldest pending trial of any
    /// sweep, and other tests submit some.
    /// </summary>
    private static async Task WithOwnCoordinatorAsync(Func<InProcessCoordinator, Task> test)
    {
        var own = new InProcessCoordinator();
        await own.InitializeAsync();
        try
        {
            await test(own);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static async Task PullBestAsync(InProcessCoordinator coordinator)
    {
        var id = await SubmitAsync(coordinator, BetaGrid);
        // The best trial's checkpoint and figures are real ones (pulled, loaded and sampled below).
        var (bestBytes, figures) = TrainedCheckpoint();
        var best = await CompleteBothTrialsAsync(coordinator, id, bestBytes, [.. figures.Select(figure => KeyValuePair.Create(figure.Name, figure.Png))]);
        using var temp = new TempDirectory();
        string pulled = temp.File("best");

        var result = await Sweep.RunAsync("best", id.ToString(), "--pull", pulled, "--coordinator", coordinator.Url, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var answer = JsonNode.Parse(result.Output)!;
        Assert.Equal(1, (int)answer["trial"]!["number"]!);
        Assert.Equal(bestBytes, await File.ReadAllBytesAsync(Path.Combine(pulled, "checkpoint")));
        Assert.Equal(1.0, (double)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(pulled, "config.json")))!["beta"]!);
        var metrics = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(pulled, "metrics.json")))!;
        Assert.Equal((150.0, 150.0), ((double)metrics["trial"]!["test_total"]!, (double)metrics["epochs"]![0]!["total"]!));
        AssertSamplesDigits(Path.Combine(pulled, "checkpoint"));
        var expected = figures.Select(figure => Path.Combine(pulled, "figures", figure.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, answer["figures"]!.AsArray().Select(path => (string)path!));
        foreach (var figure in figures)
        {
            string path = Path.Combine(pulled, "figures", figure.Name);
            Assert.Equal(figure.Png, await File.ReadAllBytesAsync(path));
            RunFiles.AssertPng(path);
        }
    }

    private static async Task PullEscapingFigureAsync(InProcessCoordinator coordinator)
    {
        var id = await SubmitAsync(coordinator, BetaGrid);
        var best = await CompleteBothTrialsAsync(coordinator, id, RandomNumberGenerator.GetBytes(4096), bestFigures: []);
        // The store refuses such a name; only a coordinator that is not this one's code (or a tampered database) sends it.
        (string name, byte[] png) = ("../escaped.png", [1, 2, 3]);
        string sha = Convert.ToHexStringLower(SHA256.HashData(png));
        await using (var db = coordinator.Service<IDbContextFactory<SweepDbContext>>().CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO trial_figures (trial_id, name, png, sha256, size_bytes, created_at) VALUES ({best}, {name}, {png}, {sha}, 3, {DateTime.UtcNow})");
        }
        using var temp = new TempDirectory();
        string pulled = temp.File("best");

        var result = await Sweep.RunAsync("best", id.ToString(), "--pull", pulled, "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(
            $"error: --pull: the coordinator names a figure of trial {best} \"../escaped.png\", which is not a plain PNG file name; nothing was written",
            result.Error.Trim());
        Assert.False(File.Exists(temp.File("escaped.png")));
        Assert.False(Directory.Exists(pulled));
    }

    /// <summary>
    /// Leases and completes the sweep's two trials, the first with test loss 150 and <paramref name="bestCheckpoint"/>
    /// and <paramref name="bestFigures"/> (the best), the second with 170 and a checkpoint that is never read; returns
    /// the best one's id.
    /// </summary>
    private static async Task<Guid> CompleteBothTrialsAsync(
        InProcessCoordinator coordinator, Guid sweepId, byte[] bestCheckpoint, IReadOnlyList<KeyValuePair<string, byte[]>> bestFigures)
    {
        var grains = coordinator.Service<IGrainFactory>();
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        var best = Guid.Empty;
        foreach (double loss in new[] { 150.0, 170.0 })
        {
            var lease = (await scheduler.LeaseAsync("worker"))!;
            await coordinator.Service<EpochMetricStore>().AppendAsync(lease.TrialId, lease.LeaseId, 1, [new SplitMetrics(MetricSplit.Test, loss - 5, 5, loss, 0, 0)]);
            bool first = best == Guid.Empty;
            await coordinator.Service<CheckpointStore>().PutAsync(lease.TrialId, lease.LeaseId, 1, first ? bestCheckpoint : RandomNumberGenerator.GetBytes(4096));
            if (first)
            {
                // Stored under the lease before the trial ends, as a worker does.
                await coordinator.Service<TrialFigureStore>().PutAsync(lease.TrialId, lease.LeaseId, bestFigures);
                best = lease.TrialId;
            }
            await grains.GetGrain<ISweepGrain>(sweepId).EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(loss, loss - 5, 5, null, 2)));
        }
        return best;
    }

    /// <summary>One epoch of the MLP on 500 images: a checkpoint and figures as a worker stores them.</summary>
    private static (byte[] Checkpoint, IReadOnlyList<FigureFile> Figures) TrainedCheckpoint()
    {
        var dataset = MnistDataset.Load(MnistDataset.FindBundled());
        using var trainer = VaeTrainer.Start(new TrainingConfig { Model = ModelKind.Mlp, TrainLimit = 500 }, dataset);
        trainer.TrainEpoch();
        return (trainer.CreateCheckpoint().ToBytes(), TrialFigures.Render(trainer.Model, trainer.TestSet, trainer.History, seed: 0, digit: null));
    }

    /// <summary>What <c>sweep sample --weights</c> does with a pulled checkpoint: load the model, decode digits from the prior.</summary>
    private static void AssertSamplesDigits(string checkpoint)
    {
        using var model = Checkpoint.Load(checkpoint).LoadModel(checkpoint);

        var images = DigitSampler.Sample(model, 10, seed: 7);

        Assert.Equal(10, images.Count);
        Assert.All(images, image => Assert.Equal(784, image.Length));
        Assert.All(images.SelectMany(image => image), pixel => Assert.InRange(pixel, 0f, 1f));
        Assert.True(images.SelectMany(image => image).Distinct().Count() > 1, "the decoded images are one flat value");
    }

    [Fact]
    public async Task Best_of_a_sweep_without_ended_trials_exits_3()
    {
        var id = await SubmitAsync(BetaGrid);

        var result = await Sweep.RunAsync("best", id.ToString(), "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("has no trial with test.total yet", result.Error, StringComparison.Ordinal);
    }

    private Task<Guid> SubmitAsync(string yaml) => SubmitAsync(coordinator, yaml);

    private static async Task<Guid> SubmitAsync(InProcessCoordinator coordinator, string yaml)
    {
        using var temp = new TempDirectory();
        string spec = temp.File("grid.yaml");
        await File.WriteAllTextAsync(spec, yaml);
        var result = await Sweep.RunAsync("submit", spec, "--coordinator", coordinator.Url, "--json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        return Guid.Parse((string)JsonNode.Parse(result.Output)!["sweep_id"]!);
    }
}

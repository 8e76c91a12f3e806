using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SweepRunner.Contracts.Grains;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Training;
using SplitMetrics = SweepRunner.Storage.SplitMetrics;
using SweepRunner.Models.Vae;
using SweepRunner.Storage;
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
    public async Task Best_pull_writes_the_best_trials_checkpoint_config_and_metrics_verified()
    {
        // A coordinator of its own: the scheduler leases the oldest pending trial of any sweep, and other tests submit some.
        var own = new InProcessCoordinator();
        await own.InitializeAsync();
        try
        {
            await PullBestAsync(own);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static async Task PullBestAsync(InProcessCoordinator coordinator)
    {
        var id = await SubmitAsync(coordinator, BetaGrid);
        var grains = coordinator.Service<IGrainFactory>();
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        byte[] bestBytes = [];
        foreach (double loss in new[] { 150.0, 170.0 })
        {
            var lease = (await scheduler.LeaseAsync("worker"))!;
            await coordinator.Service<EpochMetricStore>().AppendAsync(lease.TrialId, 1, [new SplitMetrics(MetricSplit.Test, loss - 5, 5, loss, 0, 0)]);
            // The best trial's checkpoint is a real one (pulled, loaded and sampled below); the other's is never read.
            byte[] bytes = bestBytes.Length == 0 ? TrainedCheckpointBytes() : RandomNumberGenerator.GetBytes(4096);
            await coordinator.Service<CheckpointStore>().PutAsync(lease.TrialId, 1, bytes);
            if (bestBytes.Length == 0) bestBytes = bytes;
            await grains.GetGrain<ISweepGrain>(id).EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(loss, loss - 5, 5, null, 2)));
        }
        using var temp = new TempDirectory();
        string pulled = temp.File("best");

        var result = await Sweep.RunAsync("best", id.ToString(), "--pull", pulled, "--coordinator", coordinator.Url, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.Equal(1, (int)JsonNode.Parse(result.Output)!["trial"]!["number"]!);
        Assert.Equal(bestBytes, await File.ReadAllBytesAsync(Path.Combine(pulled, "checkpoint")));
        Assert.Equal(1.0, (double)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(pulled, "config.json")))!["beta"]!);
        var metrics = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(pulled, "metrics.json")))!;
        Assert.Equal((150.0, 150.0), ((double)metrics["trial"]!["test_total"]!, (double)metrics["epochs"]![0]!["total"]!));
        AssertSamplesDigits(Path.Combine(pulled, "checkpoint"));
    }

    /// <summary>One epoch of the MLP on 500 images: a checkpoint as a worker stores it.</summary>
    private static byte[] TrainedCheckpointBytes()
    {
        var dataset = MnistDataset.Load(MnistDataset.FindBundled());
        using var trainer = VaeTrainer.Start(new TrainingConfig { Model = ModelKind.Mlp, TrainLimit = 500 }, dataset);
        trainer.TrainEpoch();
        return trainer.CreateCheckpoint().ToBytes();
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

using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;

namespace SweepRunner.Cli.Tests;

/// <summary><c>sweep run</c>: a real sweep in this process (silo, two training slots, SQLite, TorchSharp).</summary>
[Collection(TrainingGroup.Name)]
public sealed class RunCommandTests
{
    [Fact]
    public async Task Quick_sweep_on_two_workers_completes_every_trial_with_metrics_and_a_checkpoint_stored()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");

        var result = await Sweep.RunAsync("run", Examples.Find("quick.yaml"), "--workers", "2", "--db", db, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        var report = JsonNode.Parse(result.Output)!;
        Assert.Equal("completed", (string?)report["status"]);
        var trials = report["trials"]!.AsArray();
        Assert.Equal([1.0, 4.0], trials.Select(t => (double)t!["config"]!["beta"]!));
        Assert.All(trials, t => Assert.Equal(("completed", 1, 1), ((string?)t!["status"], (int)t["epochs"]!, (int)t["attempt"]!)));
        // β = 4 weighs the KL term four times: its negative ELBO is the larger.
        Assert.True((double)trials[0]!["test_total"]! < (double)trials[1]!["test_total"]!);
        Assert.Equal(1, (int)report["best"]!["number"]!);

        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, temp.Path));
        var clock = TimeProvider.System;
        foreach (var trial in trials)
        {
            var id = Guid.Parse((string)trial!["id"]!);
            var epochs = await new EpochMetricStore(contexts, clock).ListAsync(id);
            Assert.Equal([(1, MetricSplit.Test), (1, MetricSplit.Train)], epochs.Select(e => (e.Epoch, e.Split)));
            var checkpoint = await new CheckpointStore(contexts, clock).GetAsync(id);
            Assert.NotNull(checkpoint);
            Assert.Equal(1, checkpoint.Epoch);
        }
        string bestCheckpoint = (string)report["best_checkpoint"]!;
        var stored = await new CheckpointStore(contexts, clock).GetAsync(Guid.Parse((string)report["best"]!["id"]!));
        Assert.Equal(stored!.Bytes, await File.ReadAllBytesAsync(bestCheckpoint));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Bad_spec_exits_2_with_file_line_and_column()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("bad.yaml");
        await File.WriteAllTextAsync(spec, "method: grid\nparameters:\n  beta:\n    values: [1, -4]\n");

        var result = await Sweep.RunAsync("run", spec, "--db", temp.File("store.db"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Matches(@"^error: .*bad\.yaml:4:\d+: parameters\.beta", result.Error);
        Assert.False(File.Exists(temp.File("store.db")), "nothing is stored for a bad spec");
    }
}

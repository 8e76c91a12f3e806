using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Models.Data;
using SweepRunner.Models.Training;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>sweep run</c> of a sweep that packs: in one slot its four β trials train as one packed model, and each ends
/// with its own metrics, checkpoint and log, its losses those of the same trial trained alone within 1e-4 relative;
/// in two slots they train as two packed pairs, one in each.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class PackedRunTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task The_packed_example_completes_every_trial_as_it_would_train_alone()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");

        var result = await Sweep.RunAsync("run", Examples.Find("beta-packed.yaml"), "--db", db, "--workers", "1", "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        var trials = JsonNode.Parse(result.Output)!["trials"]!.AsArray();
        Assert.Equal([0.5, 1, 2, 4], trials.Select(t => (double)t!["config"]!["beta"]!));
        Assert.All(trials, t => Assert.Equal(("completed", 2, 1), ((string?)t!["status"], (int)t["epochs"]!, (int)t["attempt"]!)));

        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, temp.Path));
        var clock = TimeProvider.System;
        var dataset = MnistDataset.Load(MnistDataset.FindBundled());
        foreach (var (trial, index) in trials.Select((trial, index) => (trial!, index)))
        {
            var id = Guid.Parse((string)trial["id"]!);
            var stored = await new TrialStore(contexts, clock).GetAsync(id);
            var epochs = await new EpochMetricStore(contexts, clock).ListAsync(id);
            var checkpoint = await new CheckpointStore(contexts, clock).GetAsync(id);
            var log = await new TrialLogStore(contexts, clock).ListAsync(id);

            Assert.Equal(2, checkpoint?.Epoch);
            var others = string.Join(", ", Enumerable.Range(1, 4).Where(number => number != index + 1));
            Assert.Contains(log, line => line.Message.Contains($"trains packed with trials {others}", StringComparison.Ordinal));
            using var alone = VaeTrainer.Start(TrainerParameters.ToTrainingConfig(TrialConfig.FromCanonicalJson(stored!.ConfigJson)), dataset);
            foreach (var report in alone.Train())
            {
                AssertClose(report.Train.Total, epochs.Single(e => (e.Epoch, e.Split) == (report.Epoch, MetricSplit.Train)).Total, $"trial {index + 1} train loss, epoch {report.Epoch}");
                AssertClose(report.Test.Total, epochs.Single(e => (e.Epoch, e.Split) == (report.Epoch, MetricSplit.Test)).Total, $"trial {index + 1} test loss, epoch {report.Epoch}");
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Two_slots_share_a_packed_grid_out_as_two_packed_pairs()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");
        string sweep = temp.File("pairs.yaml");
        await File.WriteAllTextAsync(sweep, (await File.ReadAllTextAsync(Examples.Find("beta-packed.yaml")))
            .Replace("epochs: 2", "epochs: 1", StringComparison.Ordinal).Replace("train_limit: 2000", "train_limit: 256", StringComparison.Ordinal));

        var result = await Sweep.RunAsync("run", sweep, "--db", db, "--workers", "2", "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, temp.Path));
        var ids = JsonNode.Parse(result.Output)!["trials"]!.AsArray().Select(t => Guid.Parse((string)t!["id"]!)).ToList();
        var partnerOf = new Dictionary<int, int>();
        var workerOf = new Dictionary<int, string?>();
        foreach (var id in ids)
        {
            var trial = (await new TrialStore(contexts, TimeProvider.System).GetAsync(id))!;
            var log = await new TrialLogStore(contexts, TimeProvider.System).ListAsync(id);
            var started = Assert.Single(log, line => line.Message.Contains("trains packed with", StringComparison.Ordinal)).Message;
            var partner = System.Text.RegularExpressions.Regex.Match(started, @"trains packed with trial (\d+)\)$");
            Assert.True(partner.Success, $"trial {trial.Number} should train packed with one other trial: {started}");
            partnerOf[trial.Number] = int.Parse(partner.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            workerOf[trial.Number] = trial.Worker;
        }

        Assert.All(partnerOf, pair => Assert.Equal(pair.Key, partnerOf[pair.Value]));
        Assert.Equal(2, workerOf.Values.Distinct().Count());
        Assert.All(partnerOf, pair => Assert.Equal(workerOf[pair.Key], workerOf[pair.Value]));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static void AssertClose(double alone, double packed, string what) =>
        Assert.True(Math.Abs(packed - alone) <= Tolerance * Math.Abs(alone), $"{what}: packed {packed:R}, alone {alone:R}");
}

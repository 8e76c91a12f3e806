using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// The deployment for real: a coordinator process and two worker processes on a real PostgreSQL, and the best trial
/// pulled with its figures.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class DistributedSweepTests
{
    private const string SixTrials = "name: six\nmethod: grid\nepochs: 1\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 2, 3, 4, 5, 6]\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_worker_processes_share_a_sweep_and_complete_each_trial_exactly_once()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = new Dictionary<string, string>(FreePort.CoordinatorPorts())
        {
            // The coordinator notices the sweep is done within a second instead of five: quicker, and nothing asserted depends on it.
            ["Coordinator__SweepInterval"] = "00:00:01",
        };
        var none = new Dictionary<string, string>();

        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", url, "--postgres", database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        // Two workers on one host: each takes a free port for its metrics (the default, 9464, would be taken by the other).
        using var workerA = SweepProcess.Start(none, "worker", "--postgres", database, "--name", "worker-a", "--threads", "1", "--metrics-port", "0");
        using var workerB = SweepProcess.Start(none, "worker", "--postgres", database, "--name", "worker-b", "--threads", "1", "--metrics-port", "0");
        await workerA.WaitForOutputAsync("joined the cluster", StartTimeout);
        await workerB.WaitForOutputAsync("joined the cluster", StartTimeout);

        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("six.yaml"), SixTrials);
        var submitted = await Sweep.RunAsync("submit", temp.File("six.yaml"), "--coordinator", url, "--json");
        Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.Error);
        string id = (string)JsonNode.Parse(submitted.Output)!["sweep_id"]!;

        using var timeout = new CancellationTokenSource(SweepTimeout);
        var watched = await Sweep.RunAsync(timeout.Token, "watch", id, "--coordinator", url, "--json");
        Assert.True(watched.ExitCode == ExitCodes.Ok, $"{watched.Error}\ncoordinator:\n{coordinator.Output}\nworker a:\n{workerA.Output}\nworker b:\n{workerB.Output}");

        var trials = (await new TrialStore(new SweepDbContextFactory(StorageConnection.Parse(database, temp.Path)), TimeProvider.System)
            .ListAsync(new TrialQuery(Guid.Parse(id)))).Trials;
        Assert.Equal(6, trials.Count);
        Assert.All(trials, trial => Assert.Equal((TrialStatus.Completed, 1, 1), (trial.Status, trial.Attempt, trial.CurrentEpoch)));
        Assert.Equal(["worker-a/slot-1", "worker-b/slot-1"], trials.Select(trial => trial.Worker!).Distinct().Order(StringComparer.Ordinal));

        // The workers stored each trial's figures before ending it: the best one's come down with its checkpoint.
        var pulled = await Sweep.RunAsync("best", id, "--pull", temp.File("best"), "--coordinator", url);
        Assert.True(pulled.ExitCode == ExitCodes.Ok, pulled.Error);
        Assert.Contains(
            "checkpoint,config.json,metrics.json,figures/latent-scatter.png,figures/loss-curves.png,figures/manifold.png,figures/samples.png",
            Regex.Replace(pulled.Output, @"\s+", ""), StringComparison.Ordinal);
        RunFiles.AssertPng(temp.File("best/figures/latent-scatter.png"), 880, 740);
        RunFiles.AssertPng(temp.File("best/figures/loss-curves.png"), 1440, 420);
        RunFiles.AssertPng(temp.File("best/figures/manifold.png"), 930, 940);
        RunFiles.AssertPng(temp.File("best/figures/samples.png"), 280, 280);
    }
}

using System.Text.Json.Nodes;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// Worker tags for real: a coordinator, a plain CPU worker and a worker tagged gpu (a label only: it trains on the CPU
/// too), and a sweep whose β = 2 trial requires gpu (two small MLP trials: the value a tag hangs on does not matter).
/// That trial waits, and says why, until the gpu worker joins, and runs there.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class TaggedWorkersTests
{
    private const string TaggedSweep = "name: tagged\nmethod: grid\nepochs: 1\ntrain_limit: 200\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 2]\n    requires: {2: gpu}\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_trial_that_requires_gpu_waits_for_the_gpu_tagged_worker_and_runs_there()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = new Dictionary<string, string>(FreePort.CoordinatorPorts())
        {
            ["Coordinator__SweepInterval"] = "00:00:01",
        };
        var none = new Dictionary<string, string>();
        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", url, "--postgres", database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        using var cpuWorker = SweepProcess.Start(none, "worker", "--postgres", database, "--name", "cpu-worker", "--threads", "1", "--metrics-port", "0");
        await cpuWorker.WaitForOutputAsync("slots tagged cpu joined the cluster", StartTimeout);

        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("tagged.yaml"), TaggedSweep);
        var submitted = await Sweep.RunAsync("submit", temp.File("tagged.yaml"), "--coordinator", url, "--json");
        Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.Error);
        string id = (string)JsonNode.Parse(submitted.Output)!["sweep_id"]!;
        var status = await Sweep.RunAsync("status", id, "--coordinator", url);

        using var gpuWorker = SweepProcess.Start(none, "worker", "--postgres", database, "--name", "gpu-worker", "--tag", "gpu", "--threads", "1", "--metrics-port", "0");
        await gpuWorker.WaitForOutputAsync("slots tagged gpu joined the cluster", StartTimeout);
        using var timeout = new CancellationTokenSource(SweepTimeout);
        var watched = await Sweep.RunAsync(timeout.Token, "watch", id, "--coordinator", url, "--json");
        Assert.True(watched.ExitCode == ExitCodes.Ok, $"{watched.Error}\ncoordinator:\n{coordinator.Output}\ncpu worker:\n{cpuWorker.Output}\ngpu worker:\n{gpuWorker.Output}");

        Assert.Contains("waiting: 1 pending trial waits for a worker tagged gpu (no live worker carries it)", status.Output, StringComparison.Ordinal);
        var trials = (await new TrialStore(new SweepDbContextFactory(StorageConnection.Parse(database, temp.Path)), TimeProvider.System)
            .ListAsync(new TrialQuery(Guid.Parse(id)))).Trials;
        Assert.All(trials, trial => Assert.Equal(TrialStatus.Completed, trial.Status));
        var tagged = Assert.Single(trials, trial => trial.RequiredTags.Length > 0);
        Assert.Equal(("""{"beta":2.0,"epochs":1,"model":"mlp","train_limit":200}""", "gpu", "gpu-worker/slot-1"), (tagged.ConfigJson, tagged.RequiredTags, tagged.Worker));
        Assert.Equal(2, trials.Count);
    }
}

using System.Text.Json.Nodes;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>
/// The scheduler leases a trial only to a worker carrying the tags it requires, and the sweep's detail names the
/// pending trials that no live worker may take.
/// </summary>
public sealed class TaggedSchedulingTests
{
    private const string ModelGrid = "method: grid\nparameters:\n  model:\n    values: [mlp, cnn]\n    requires: {cnn: gpu}\n";

    [Fact]
    public async Task A_gpu_trial_goes_only_to_a_gpu_worker_and_waits_while_no_live_worker_carries_the_tag()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(ModelGrid);
        var grains = server.Service<IGrainFactory>();
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        var registry = grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key);
        await registry.AnnounceAsync(new WorkerAnnouncement("cpu-1", 1, null) { Tags = "cpu" });

        var cpu = await scheduler.LeaseAsync("cpu-1/slot-1", ["cpu"]);
        var cpuAgain = await scheduler.LeaseAsync("cpu-1/slot-1", ["cpu"]);
        var waiting = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!["waiting"]!;
        await registry.AnnounceAsync(new WorkerAnnouncement("gpu-1", 1, null) { Tags = "gpu" });
        var waitingWithGpu = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!["waiting"]!;
        var gpu = await scheduler.LeaseAsync("gpu-1/slot-1", ["gpu"]);

        Assert.Equal("""{"model":"mlp"}""", cpu?.ConfigJson);
        Assert.Null(cpuAgain);
        Assert.Equal("""[{"requires":["gpu"],"trials":1}]""", waiting.ToJsonString());
        Assert.Equal("[]", waitingWithGpu.ToJsonString());
        Assert.Equal("""{"model":"cnn"}""", gpu?.ConfigJson);
    }

    [Fact]
    public async Task Untagged_trials_go_to_any_worker()
    {
        await using var server = await ApiServer.StartAsync();
        await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var scheduler = server.Service<IGrainFactory>().GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);

        var gpu = await scheduler.LeaseAsync("gpu-1/slot-1", ["gpu"]);
        var plain = await scheduler.LeaseAsync("plain/slot-1");

        Assert.Equal(("""{"beta":1.0}""", """{"beta":2.0}"""), (gpu?.ConfigJson, plain?.ConfigJson));
    }
}

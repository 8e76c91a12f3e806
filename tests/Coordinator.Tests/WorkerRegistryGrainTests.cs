using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Tests;

public sealed class WorkerRegistryGrainTests
{
    [Fact]
    public async Task A_worker_counts_until_it_is_silent_for_the_worker_timeout()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var registry = sweeps.Cluster.Client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key);
        await registry.AnnounceAsync(new WorkerAnnouncement("b", 1, null));
        await registry.AnnounceAsync(new WorkerAnnouncement("a", 2, "127.0.0.1:9464"));

        sweeps.Clock.Advance(TimeSpan.FromSeconds(20));
        await registry.AnnounceAsync(new WorkerAnnouncement("a", 4, "127.0.0.1:9465"));
        var both = await registry.ListAsync();
        sweeps.Clock.Advance(TimeSpan.FromSeconds(15));
        var one = await registry.ListAsync();

        Assert.Equal([new WorkerAnnouncement("a", 4, "127.0.0.1:9465"), new WorkerAnnouncement("b", 1, null)], both);
        Assert.Equal([new WorkerAnnouncement("a", 4, "127.0.0.1:9465")], one);
    }
}

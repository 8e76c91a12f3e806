using System.Text.Json.Nodes;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class PrometheusApiTests
{
    [Fact]
    public async Task Workers_that_serve_metrics_are_listed_as_http_service_discovery_target_groups()
    {
        await using var server = await ApiServer.StartAsync();
        var registry = server.Service<IGrainFactory>().GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key);
        await registry.AnnounceAsync(new WorkerAnnouncement("gpu-2", 4, "10.0.0.7:9464") { Tags = "big-mem,gpu" });
        await registry.AnnounceAsync(new WorkerAnnouncement("embedded", 1, null));
        await registry.AnnounceAsync(new WorkerAnnouncement("cpu-1", 2, "127.0.0.1:41234") { Tags = "cpu" });

        var groups = JsonNode.Parse(await server.Client.GetStringAsync("/api/prometheus/targets"))!.AsArray();

        Assert.Equal(
            """[{"targets":["127.0.0.1:41234"],"labels":{"worker":"cpu-1","tags":"cpu"}},{"targets":["10.0.0.7:9464"],"labels":{"worker":"gpu-2","tags":"big-mem,gpu"}}]""",
            groups.ToJsonString());
    }
}

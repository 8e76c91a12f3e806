using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// <c>/api/prometheus/targets</c>: the workers' metrics endpoints as a Prometheus HTTP service-discovery document
/// (<c>http_sd_configs</c>), so that Prometheus follows workers as they come and go without an edit of its config.
/// </summary>
public static class PrometheusApi
{
    public const string TargetsPath = "/api/prometheus/targets";

    public static RouteHandlerBuilder MapPrometheusApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(TargetsPath, ListTargetsAsync).WithTags("Prometheus")
            .WithSummary("The live workers' metrics addresses, in Prometheus' HTTP service-discovery format (one target group per worker, labelled worker and tags)");

    private static async Task<IResult> ListTargetsAsync(IGrainFactory grains)
    {
        var workers = await grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key).ListAsync();
        return TypedResults.Ok(workers
            .Where(worker => worker.MetricsAddress is not null)
            .Select(worker => new TargetGroup([worker.MetricsAddress!], new Dictionary<string, string> { ["worker"] = worker.Name, ["tags"] = worker.Tags }))
            .ToList());
    }
}

/// <summary>One entry of an HTTP service-discovery document: addresses (<c>host:port</c>) and the labels they share.</summary>
public sealed record TargetGroup(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Labels);

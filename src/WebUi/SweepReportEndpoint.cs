using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SweepRunner.Coordinator.Api;
using SweepRunner.Reports;
using SweepRunner.Storage.Errors;

namespace SweepRunner.WebUi;

/// <summary>
/// <c>GET /api/sweeps/{id}/report</c>: the sweep's HTML report (the page <c>sweep report</c> writes), rendered in
/// memory from the store as one self-contained page, so the dashboard links to it without files on the server. It is
/// under <c>/api</c>, so the same read access guards it as the rest of the sweep's data.
/// </summary>
internal static class SweepReportEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/sweeps/{id:guid}/report", RenderAsync)
            .WithTags("Sweeps")
            .WithSummary("The sweep's HTML report: trials ranked by its metric, loss curves, rate–distortion plane, spread over seeds, the best trial's figures");

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>>> RenderAsync(
        Guid id, HttpContext context, CancellationToken cancellationToken)
    {
        SweepReportData data;
        try
        {
            data = await StoredSweepReport.From(context.RequestServices).ReadAsync(id, cancellationToken);
        }
        catch (RecordNotFoundException)
        {
            return ApiProblems.NotFound("sweep", id);
        }
        // Drawing the charts is CPU work of a few hundred milliseconds for a large sweep: off the request's thread.
        string page = await Task.Run(() => SweepReport.RenderSelfContained(data), cancellationToken);
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(page, "text/html; charset=utf-8");
    }
}

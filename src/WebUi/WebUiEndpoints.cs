using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.WebUi;

/// <summary>
/// The web dashboard: <c>GET /</c> is its page, <c>GET /ui/NAME</c> its script and style sheet, and
/// <c>GET /api/sweeps/{id}/report</c> a sweep's HTML report, which the page links to.
/// </summary>
public static class WebUiEndpoints
{
    /// <summary>Where the dashboard's files are served; open without the token, like <c>/</c>: they hold no data.</summary>
    public const string AssetsPath = "/ui";

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription();
        endpoints.MapGet($"{AssetsPath}/{{name}}", (string name, HttpContext context) => Serve(context, name)).ExcludeFromDescription();
        SweepReportEndpoint.Map(endpoints);
        return endpoints;
    }

    /// <summary>The asset with its ETag; 304 when the browser has it already. No-cache: a new build is seen at once.</summary>
    private static IResult Serve(HttpContext context, string name)
    {
        if (WebUiAssets.Find(name) is not { } asset) return Results.NotFound();
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Bytes, asset.ContentType, entityTag: new EntityTagHeaderValue(asset.ETag));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using SweepRunner.ServiceDefaults;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// With <c>Api:RequireTokenForReads</c>: 401 to every request for the API (<c>/api</c>), its OpenAPI document and
/// the metrics that does not present the token. Left open: the probes (<c>/health</c>, <c>/alive</c>), which say
/// nothing about sweeps, and <c>/api/session</c>, where a browser presents the token to start a session. A middleware
/// rather than an endpoint filter, because <c>/metrics</c> is not an endpoint of the API's.
/// </summary>
internal sealed class ReadAccessMiddleware(RequestDelegate next, ApiAccess access)
{
    private static readonly PathString[] Guarded = ["/api", "/openapi", ServiceDefaultsExtensions.MetricsPath];

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        bool guarded = Guarded.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            && !path.StartsWithSegments(SessionApi.Path, StringComparison.OrdinalIgnoreCase);
        if (!guarded || access.AllowsRead(context.Request))
        {
            await next(context);
            return;
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await ApiProblems.Unauthorized($"this server needs its token for reads too: send Authorization: Bearer <Api:Token>, or sign in with POST {SessionApi.Path}").ExecuteAsync(context);
    }

    /// <summary>Puts the middleware first in the host's pipeline, whatever the host maps after it.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<ReadAccessMiddleware>();
            next(app);
        };
    }
}

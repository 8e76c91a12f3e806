using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SweepRunner.ServiceDefaults;

/// <summary>
/// The body of a health answer, plain text: the overall status (all of it when ready: <c>Healthy</c>), then one line
/// per check that is not healthy, its name and why (<c>sweep-store: Unhealthy: the PostgreSQL at … does not answer: …</c>), so that whoever
/// reads a failing probe (kubectl describe, curl) sees which dependency is missing.
/// </summary>
internal static class HealthReportText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var failing = report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy).OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key}: {entry.Value.Status}: {entry.Value.Description ?? entry.Value.Exception?.Message ?? "no description"}");
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(string.Join('\n', failing.Prepend(report.Status.ToString())), context.RequestAborted);
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SweepRunner.ServiceDefaults;

/// <summary>
/// The body of a health answer, plain text: the overall status on the first line, then one line per check that is not
/// healthy, its name and why (<c>sweep-store: Unhealthy: the PostgreSQL at … does not answer: …</c>), so that whoever
/// reads a failing probe (kubectl describe, curl) sees which dependency is missing.
/// </summary>
internal static class HealthReportText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().AppendLine(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy).OrderBy(entry => entry.Key, StringComparer.Ordinal))
            text.AppendLine($"{name}: {entry.Status}: {entry.Description ?? entry.Exception?.Message ?? "no description"}");
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}

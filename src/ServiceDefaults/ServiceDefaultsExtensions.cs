using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace SweepRunner.ServiceDefaults;

/// <summary>
/// What every SweepRunner host has, whatever it runs (coordinator, worker, the embedded <c>sweep run</c>): configuration
/// from the environment, quiet terminal logging, health checks, and metrics (OpenTelemetry, exported for Prometheus at
/// <see cref="MetricsPath"/>). Each host composes its parts on top of these; each library adds its own meters
/// (<c>ConfigureOpenTelemetryMeterProvider</c>).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Configuration key that turns on framework logs and full exceptions (<c>sweep --verbose</c>).</summary>
    public const string VerboseKey = "Logging:Verbose";

    /// <summary>The liveness probe: answers while the process runs, whatever its dependencies do.</summary>
    public const string AlivePath = "/alive";

    /// <summary>
    /// The readiness probe: every registered health check (the sweep store answers; the coordinator's silo is active, a
    /// worker's announcements reach the coordinator), local ones only. 503 with the failing checks in the body while not ready.
    /// </summary>
    public const string HealthPath = "/health";

    /// <summary>Prometheus' scrape path, on every host that serves HTTP.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The <c>service.name</c> of every host: Prometheus tells processes apart by target, not by this.</summary>
    public const string ServiceName = "sweeprunner";

    private const string LiveTag = "live";

    /// <summary>
    /// How a command's web host is created: in <paramref name="contentRoot"/> (the working directory), without reloading
    /// its configuration on change. Reloading watches the content root for changed appsettings files, and on Linux such
    /// a watch is one inotify watch per folder below it: 1,400 in a source checkout, a tenth of a second or more at
    /// start-up, and in a home folder past the system's limit on watches. A command reads its configuration once.
    /// </summary>
    public static WebApplicationOptions CommandHostOptions(string contentRoot) => new()
    {
        ContentRootPath = contentRoot,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    };

    /// <param name="ownMessages">
    /// The least level of SweepRunner's own log messages shown by default: the embedded run, whose live table says what
    /// its trials do, shows only warnings and errors.
    /// </param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, LogLevel ownMessages = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddEnvironmentBelowCode(builder.Configuration);
        builder.Logging.AddTerminalLogging(builder.Configuration, ownMessages);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps <see cref="HealthPath"/> (every check), <see cref="AlivePath"/> (the process only) and <see cref="MetricsPath"/>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthReportText.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthReportText.WriteAsync });
        return app;
    }

    /// <summary>
    /// Environment variables (<c>Logging__LogLevel__Orleans</c>, <c>Api__Token</c>, …) under the configuration the host
    /// was given in code: what a command's options say wins over the environment.
    /// </summary>
    private static void AddEnvironmentBelowCode(IConfigurationManager configuration)
    {
        if (configuration.Sources.Any(source => source is EnvironmentVariablesConfigurationSource { Prefix: null or "" })) return;
        configuration.Sources.Insert(0, new EnvironmentVariablesConfigurationSource());
    }
}

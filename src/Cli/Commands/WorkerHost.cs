using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SweepRunner.Hosting;
using SweepRunner.ServiceDefaults;
using SweepRunner.Storage.Connection;
using SweepRunner.Worker;
using SweepRunner.Worker.Telemetry;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// A worker process: training slots (<c>AddWorker</c>) talking to the coordinator's grains through an Orleans client
/// (<c>AddWorkerClient</c>) that finds the coordinator's gateway in the ADO.NET membership table on PostgreSQL, and,
/// unless its metrics port is off, a small HTTP endpoint (<c>AddWorkerEndpoint</c>) serving its metrics and health.
/// </summary>
internal static class WorkerHost
{
    /// <param name="postgres">The sweep store's connection; null: <c>ConnectionStrings__SweepRunner</c> from the environment.</param>
    /// <param name="tags">The worker's tags; empty: <c>Worker:Tags</c> from the environment, else the device's.</param>
    /// <param name="metricsPort">The metrics endpoint's port (0: any free one); null: no endpoint.</param>
    /// <param name="verbose">Framework logs and full exceptions (<c>--verbose</c>).</param>
    /// <param name="more">More configuration, over the environment's (<c>--no-migrate</c>: <see cref="Storage.Schema.SchemaOptions.MigrateKey"/>).</param>
    public static IHost Build(string? postgres, int slots, int? threads, string device, IReadOnlyList<string> tags, string? name, int? metricsPort, bool verbose, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>())
        {
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = slots.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = threads?.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Device)}"] = device,
            [ServiceDefaultsExtensions.VerboseKey] = verbose ? "true" : null,
        };
        if (postgres is not null) settings[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = postgres;
        if (tags.Count > 0) settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Tags)}"] = string.Join(',', tags);
        if (name is not null) settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = name;
        string root = Environment.CurrentDirectory;
        if (metricsPort is not { } port)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, DisableDefaults = true });
            settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.MetricsPort)}"] = MetricsPort.Off;
            Compose(plain, settings);
            return plain.Build();
        }
        var web = WebApplication.CreateSlimBuilder(ServiceDefaultsExtensions.CommandHostOptions(root));
        settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.MetricsPort)}"] = port.ToString(CultureInfo.InvariantCulture);
        Compose(web, settings);
        web.AddWorkerEndpoint();
        var app = web.Build();
        app.MapDefaultEndpoints();
        return app;
    }

    private static void Compose(IHostApplicationBuilder builder, Dictionary<string, string?> settings)
    {
        // A source, not values set on the configuration: AddServiceDefaults adds the environment under it, which reloads the sources.
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.UseCommandLifetime();
        builder.AddWorkerClient();
        builder.AddWorker();
    }
}

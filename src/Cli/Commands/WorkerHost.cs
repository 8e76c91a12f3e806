using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SweepRunner.ServiceDefaults;
using SweepRunner.Storage.Connection;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// A worker process: training slots (<c>AddWorker</c>) talking to the coordinator's grains through an Orleans client
/// (<c>AddWorkerClient</c>) that finds the coordinator's gateway in the ADO.NET membership table on PostgreSQL.
/// </summary>
internal static class WorkerHost
{
    /// <param name="verbose">Framework logs and full exceptions (<c>--verbose</c>).</param>
    public static IHost Build(string postgres, int slots, int? threads, string device, string? name, bool verbose)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Environment.CurrentDirectory, DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = postgres,
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = slots.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = threads?.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Device)}"] = device,
            [ServiceDefaultsExtensions.VerboseKey] = verbose ? "true" : null,
        };
        if (name is not null) settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = name;
        // A source, not values set on the configuration: AddServiceDefaults adds the environment under it, which reloads the sources.
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddWorkerClient();
        builder.AddWorker();
        return builder.Build();
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// A worker process: training slots (<c>AddWorker</c>) talking to the coordinator's grains through an Orleans client
/// that finds the coordinator's gateway in the ADO.NET membership table on PostgreSQL.
/// </summary>
/// <remarks>
/// A client, not a silo: a worker hosts no grains, and as a silo it would. Orleans would place sweep and scheduler
/// activations on it (next to threads busy training for minutes), and a killed worker would take those activations
/// down and hold up the cluster until the failure detector voted it dead. As a client it only calls the coordinator;
/// losing it costs only its leases, which expire.
/// </remarks>
internal static class WorkerHost
{
    public static IHost Build(string postgres, int slots, int? threads, string device, string? name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Environment.CurrentDirectory, DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = postgres,
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = slots.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = threads?.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Device)}"] = device,
        });
        if (name is not null) builder.Configuration[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = name;
        var store = StorageConnection.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        if (store.Provider != StorageProvider.PostgreSql)
            throw new InputException($"--postgres: a worker needs the coordinator's PostgreSQL (Host=…;Database=…), not the {store.Description}");

        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        string clusterId = builder.Configuration[ClusterIdentity.ClusterIdKey] ?? ClusterIdentity.DefaultClusterId;
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterIdentity.PostgresInvariant;
                options.ConnectionString = store.ConnectionString;
            });
            client.Configure<ClusterOptions>(options => (options.ServiceId, options.ClusterId) = (ClusterIdentity.ServiceId, clusterId));
        });
        builder.AddWorker();
        return builder.Build();
    }
}

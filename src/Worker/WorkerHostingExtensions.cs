using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Worker.Slots;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker;

public static class WorkerHostingExtensions
{
    /// <summary>
    /// Adds <c>Worker:Slots</c> training slots (default 1) that lease trials from the coordinator's grains through the
    /// host's <see cref="IGrainFactory"/> (the silo's in the embedded mode, an Orleans client otherwise) and write
    /// metrics and checkpoints to the sweep store. An <see cref="ITrialTrainer"/> registered before replaces the VAE trainer.
    /// </summary>
    public static IHostApplicationBuilder AddWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSweepStorage();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.Slots is >= 1 and <= 256, "Worker:Slots must be 1 to 256")
            .Validate(o => o.Device is TrainingDevice.Cpu or TrainingDevice.Cuda, "Worker:Device must be cpu or cuda")
            .Validate(o => o.Threads is null or >= 1, "Worker:Threads must be at least 1")
            .Validate(o => o.IdlePoll > TimeSpan.Zero, "Worker:IdlePoll must be positive")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ITrialTrainer, VaeTrialTrainer>();
        var slots = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>()?.Slots ?? 1;
        for (int index = 1; index <= slots; index++)
        {
            int slot = index;
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<TrainingSlot>(services, slot));
        }
        return builder;
    }

    /// <summary>
    /// Adds the Orleans client through which a worker process reaches the coordinator's grains: it finds the
    /// coordinator's gateway in the ADO.NET membership table on the sweep store's PostgreSQL (<c>ConnectionStrings:SweepRunner</c>).
    /// Throws <see cref="StorageConfigurationException"/> when the store is not PostgreSQL: no other process could share it.
    /// </summary>
    /// <remarks>
    /// A client, not a silo: a worker hosts no grains, and as a silo it would. Orleans would place sweep and scheduler
    /// activations on it (next to threads busy training for minutes), and a killed worker would take those activations
    /// down and hold up the cluster until the failure detector voted it dead. As a client it only calls the coordinator;
    /// losing it costs only its leases, which expire.
    /// </remarks>
    public static IHostApplicationBuilder AddWorkerClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = StorageConnection.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        if (store.Provider != StorageProvider.PostgreSql)
            throw new StorageConfigurationException($"a worker needs the coordinator's PostgreSQL (Host=…;Database=…), not the {store.Description}");
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
        return builder;
    }
}

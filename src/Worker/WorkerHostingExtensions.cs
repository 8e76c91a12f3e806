using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Worker.Cluster;
using SweepRunner.Storage;
using SweepRunner.Storage.Clusters;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Worker.Slots;
using SweepRunner.Worker.Telemetry;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker;

public static class WorkerHostingExtensions
{
    private static readonly TimeSpan GatewayRefresh = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds <c>Worker:Slots</c> training slots (default 1) that lease trials from the coordinator's grains through the
    /// host's <see cref="IGrainFactory"/> (the silo's in the embedded mode, an Orleans client otherwise) and write
    /// metrics and checkpoints to the sweep store. An <see cref="ITrialTrainer"/> registered before replaces the VAE trainer.
    /// The worker announces itself to the coordinator, and its meter joins the host's OpenTelemetry metrics.
    /// </summary>
    public static IHostApplicationBuilder AddWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSweepStorage();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.Slots is >= 1 and <= 256, "Worker:Slots must be 1 to 256")
            .Validate(o => o.Device is TrainingDevice.Cpu or TrainingDevice.Cuda, "Worker:Device must be cpu or cuda")
            .Validate(o => o.Threads is null or >= 1, "Worker:Threads must be at least 1")
            .Validate(o => WorkerOptions.ParseTags(o.Tags).All(WorkerTags.IsValid), $"Worker:Tags must be ,-separated tags, each {WorkerTags.Expected}")
            .Validate(o => o.EffectiveTags.Count <= WorkerTags.MaxPerWorker, $"Worker:Tags takes at most {WorkerTags.MaxPerWorker} tags")
            .Validate(o => o.IdlePoll > TimeSpan.Zero, "Worker:IdlePoll must be positive")
            .Validate(o => o.AnnounceInterval > TimeSpan.Zero, "Worker:AnnounceInterval must be positive")
            .Validate(o => o.OutageGrace >= TimeSpan.Zero, "Worker:OutageGrace must not be negative")
            .Validate(o => IPAddress.TryParse(o.MetricsHost, out _), "Worker:MetricsHost must be an IP address to listen on (0.0.0.0: every address)")
            .Validate(o => MetricsPort.IsValid(o.MetricsPort), $"Worker:MetricsPort must be a port 0-65535 (0: any free port) or {MetricsPort.Off}")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ITrialTrainer, VaeTrialTrainer>();
        // The host's first service: its start (StartingAsync) comes before the others', so the warm-up runs beside the
        // schema step, the silo's start and the coordinator's connection instead of after them.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TrainerWarmUp>());
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(WorkerMetrics.MeterName));
        builder.Services.AddHostedService<WorkerAnnouncer>();
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
    /// coordinator's gateway in the ADO.NET membership table on the sweep store's PostgreSQL (<c>ConnectionStrings:SweepRunner</c>),
    /// once the store says that this worker belongs to its cluster and runs a version compatible with its coordinator's.
    /// Throws <see cref="StorageConfigurationException"/> when the store is not PostgreSQL: no other process could share it.
    /// The cluster's ids (<see cref="ClusterIdentity"/>) and its TLS certificate (<see cref="ClusterTls"/>) are the
    /// coordinator's: a worker with other ids sees no gateway, and one without the certificate is refused by it.
    /// Readiness (<see cref="CoordinatorHealthCheck"/>) asks that its last announcement to the coordinator went through.
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
        var identity = ClusterIdentity.FromConfiguration(builder.Configuration);
        // The store first, so that its schema step runs before the check, and the check before the client connects.
        builder.AddSweepStorage();
        builder.Services.AddHostedService(services => new WorkerAdmission(services.GetRequiredService<ClusterRegistry>(), identity.ClusterId));
        builder.Services.AddSingleton<CoordinatorHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<CoordinatorHealthCheck>(CoordinatorHealthCheck.Name);
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterIdentity.PostgresInvariant;
                options.ConnectionString = store.ConnectionString;
            });
            client.Configure<ClusterOptions>(options => (options.ServiceId, options.ClusterId) = (identity.ServiceId, identity.ClusterId));
            client.UseClusterTls(builder.Configuration);
            // A restarted coordinator comes back as a new silo at the same address: find it within seconds, not Orleans' minute.
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayRefresh);
        });
        return builder;
    }

    /// <summary>
    /// Makes the worker's host serve HTTP on <c>Worker:MetricsHost</c> (default loopback) and <c>Worker:MetricsPort</c>
    /// (default <see cref="MetricsPort.Default"/>, 0: any free port) for its metrics and health checks, and announces
    /// that address. A worker whose port is <see cref="MetricsPort.Off"/> is a plain host without this (which would
    /// throw <see cref="InvalidOperationException"/> at start).
    /// </summary>
    public static WebApplicationBuilder AddWorkerEndpoint(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Read when Kestrel starts, after the options were validated (a bad port or host exits as bad input, before this).
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<WorkerOptions>>((kestrel, worker) =>
            kestrel.Listen(IPAddress.Parse(worker.Value.MetricsHost), MetricsPort.Parse(worker.Value.MetricsPort)
                ?? throw new InvalidOperationException($"the worker's endpoint is {MetricsPort.Off} (Worker:MetricsPort): its host serves no HTTP")));
        builder.Services.AddSingleton(services => new WorkerEndpoint(services.GetRequiredService<IServer>(), services.GetRequiredService<IOptions<WorkerOptions>>().Value.MetricsAdvertisedHost));
        return builder;
    }
}

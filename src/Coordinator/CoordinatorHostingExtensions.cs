using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Cluster;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Coordinator;

public static class CoordinatorHostingExtensions
{
    /// <summary>Configuration key of the silo-to-silo port (default 11111).</summary>
    public const string SiloPortKey = "Orleans:SiloPort";

    /// <summary>Configuration key of the port workers connect to (default 30000).</summary>
    public const string GatewayPortKey = "Orleans:GatewayPort";

    /// <summary>Orleans' meter: activations, messaging, the silo's view of the cluster.</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>
    /// Adds the coordinator: the sweep store, an Orleans silo hosting the sweep and scheduler grains, and the start-up
    /// step that resumes running sweeps. Clustering is <c>Orleans:Clustering:ProviderType</c>: <c>AdoNet</c> uses the
    /// PostgreSQL sweep store (workers in other processes join through it), anything else localhost clustering. With
    /// ADO.NET clustering the cluster's ids must be this deployment's own once the silo advertises an address beyond
    /// loopback, and its connections use TLS when a shared certificate is configured (<see cref="ClusterTls"/>); in
    /// Kubernetes the silo also follows its pods (<see cref="KubernetesHosting"/>). Readiness
    /// (<see cref="SiloHealthCheck"/>) asks that the silo be active.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">Built-in ids beyond loopback, or an unusable certificate.</exception>
    public static IHostApplicationBuilder AddCoordinator(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddCoordinatorServices();
        var configuration = builder.Configuration;
        var identity = ClusterIdentity.FromConfiguration(configuration);
        // After the schema step (AddCoordinatorServices), before the silo: a coordinator the store refuses never joins.
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ClusterRegistration>(services, identity.ClusterId));
        builder.UseOrleans(silo =>
        {
            int siloPort = configuration.GetValue(SiloPortKey, EndpointOptions.DEFAULT_SILO_PORT);
            int gatewayPort = configuration.GetValue(GatewayPortKey, EndpointOptions.DEFAULT_GATEWAY_PORT);
            if (SchemaOptions.FromConfiguration(configuration).OrleansClustering)
            {
                var store = StorageConnection.FromConfiguration(configuration, builder.Environment.ContentRootPath);
                if (store.Provider != StorageProvider.PostgreSql)
                    throw new StorageConfigurationException($"Orleans ADO.NET clustering needs PostgreSQL, but the sweep store is the {store.Description}");
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = ClusterIdentity.PostgresInvariant;
                    options.ConnectionString = store.ConnectionString;
                });
                string advertised = configuration.GetSection(CoordinatorOptions.SectionName).Get<CoordinatorOptions>()?.AdvertisedAddress ?? new CoordinatorOptions().AdvertisedAddress;
                identity.RequireOwnBeyondLoopback(advertised);
                ConfigureEndpoints(silo, advertised, siloPort, gatewayPort);
                silo.Configure<ClusterOptions>(options => (options.ServiceId, options.ClusterId) = (identity.ServiceId, identity.ClusterId));
                silo.UseClusterTls(configuration);
                silo.Configure<ClusterMembershipOptions>(DetectDeadSilosQuickly);
                KubernetesHosting.UseWhenEnabled(silo, configuration);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: identity.ServiceId, clusterId: identity.ClusterId);
            }
        });
        builder.Services.AddHostedService<SweepResumption>();
        builder.Services.AddHostedService<ClusterSampler>();
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>(SiloHealthCheck.Name);
        return builder;
    }

    /// <summary>
    /// Membership tuned for a few coordinator silos, one of them a hot spare: a silo killed without leaving (SIGKILL, a
    /// lost host) is declared dead, and its grains reactivated on a survivor, within seconds (12 s in the fault test on
    /// a busy machine) instead of Orleans' half minute or more. Probes every 2 s (up to 8 s while a silo is slow), 3 missed ones make a suspect; with two
    /// silos the survivor's own vote is enough. The generous probe ceiling keeps a silo that is only slow (a busy host)
    /// from being voted out. A silo started again at a dead one's address supersedes it at once (Orleans).
    /// </summary>
    private static void DetectDeadSilosQuickly(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(2);
        options.MaxProbeTimeout = TimeSpan.FromSeconds(8);
        options.NumMissedProbesLimit = 3;
        // Membership changes reach every silo by gossip at once; the table is read again this often besides.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// Publishes <paramref name="advertised"/> (an IP or a host name, resolved now) for workers. On loopback the silo
    /// listens there only; on any other address it listens on all of them, since the advertised one may belong to a NAT
    /// or container network rather than to an interface of this host.
    /// </summary>
    private static void ConfigureEndpoints(ISiloBuilder silo, string advertised, int siloPort, int gatewayPort)
    {
        if (IPAddress.TryParse(advertised, out var address))
            silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        else
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
    }

    /// <summary>
    /// What the grains need besides the silo: the sweep store, options, meters and the submission service. The meters
    /// (and Orleans' own) join the host's OpenTelemetry metrics, exported where the host maps its metrics endpoint.
    /// </summary>
    public static IHostApplicationBuilder AddCoordinatorServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSweepStorage();
        builder.Services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<SchedulingMetrics>();
        builder.Services.AddSingleton<TrialSeries>();
        builder.Services.AddSingleton<ClusterMetrics>();
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            int limit = services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.TrialSeriesLimit;
            metrics.AddMeter(SchedulingMetrics.MeterName, TrialSeries.MeterName, OrleansMeterName)
                .AddView(instrument => instrument.Meter.Name == TrialSeries.MeterName ? new MetricStreamConfiguration { CardinalityLimit = SeriesLimit(instrument, limit) } : null)
                // Made with the exporter rather than on first use, so that the counters' series are there from the start.
                .AddInstrumentation(services.GetRequiredService<SchedulingMetrics>);
        });
        builder.Services.AddSingleton<SweepSubmissions>();
        return builder;
    }

    /// <summary>A trial's split is one series; its latent dimensions, several (up to four on average within the limit).</summary>
    private static int SeriesLimit(System.Diagnostics.Metrics.Instrument instrument, int trialSeries) =>
        instrument.Name == TrialSeries.LatentKlName ? trialSeries * 4 : trialSeries;
}

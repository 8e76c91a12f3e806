using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Clusters;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Health;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Statistics;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage;

public static class StorageHostingExtensions
{
    /// <summary>
    /// Adds the sweep store on <c>ConnectionStrings:SweepRunner</c> (default: a SQLite file under the content root),
    /// its stores, the schema step, which runs when the host starts (or only waits for the schema, <see cref="SchemaOptions.Migrate"/>),
    /// and the readiness check <see cref="SweepStoreHealthCheck.Name"/>. Throws <see cref="StorageConfigurationException"/>
    /// when the connection string or <see cref="SchemaOptions.MigrateKey"/> is malformed.
    /// </summary>
    public static IHostApplicationBuilder AddSweepStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(service => service.ServiceType == typeof(SweepDbContextFactory))) return builder;
        var contexts = new SweepDbContextFactory(StorageConnection.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath));
        var services = builder.Services;
        services.AddSingleton(contexts);
        services.AddSingleton<IDbContextFactory<SweepDbContext>>(contexts);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SweepStore>();
        services.AddSingleton<TrialStore>();
        services.AddSingleton<TrialLeases>();
        services.AddSingleton<EpochMetricStore>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<TrialFigureStore>();
        services.AddSingleton<TrialLogStore>();
        services.AddSingleton<TrialRetries>();
        services.AddSingleton<ClusterStatisticsQuery>();
        services.AddSingleton<ClusterRegistry>();
        services.AddSingleton(SchemaOptions.FromConfiguration(builder.Configuration));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<SchemaReadiness>();
        services.AddHostedService<SchemaMigrationService>();
        services.AddHealthChecks().AddCheck<SweepStoreHealthCheck>(SweepStoreHealthCheck.Name);
        return builder;
    }
}

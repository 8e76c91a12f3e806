using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests;

/// <summary>Two real silos (InProcessTestCluster) hosting the coordinator's grains on a fresh, migrated SQLite store.</summary>
public sealed class SweepCluster : IAsyncDisposable
{
    private readonly string folder;
    private readonly IDbContextFactory<SweepDbContext> contexts;

    private SweepCluster(string folder, InProcessTestCluster cluster, ManualClock clock)
    {
        this.folder = folder;
        Cluster = cluster;
        Clock = clock;
        var silo = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress);
        Submissions = silo.GetRequiredService<SweepSubmissions>();
        Sweeps = silo.GetRequiredService<SweepStore>();
        Trials = silo.GetRequiredService<TrialStore>();
        Checkpoints = silo.GetRequiredService<CheckpointStore>();
        contexts = silo.GetRequiredService<IDbContextFactory<SweepDbContext>>();
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>The wall clock of both silos' stores: leases expire when a test moves it past their expiry.</summary>
    public ManualClock Clock { get; }

    public SweepSubmissions Submissions { get; }

    public SweepStore Sweeps { get; }

    public TrialStore Trials { get; }

    public CheckpointStore Checkpoints { get; }

    public ITrialSchedulerGrain Scheduler => Cluster.Client.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);

    public ISweepGrain Sweep(Guid id) => Cluster.Client.GetGrain<ISweepGrain>(id);

    /// <summary>The store itself, for a test that sets up a row the stores would not write.</summary>
    public SweepDbContext DbContext() => contexts.CreateDbContext();

    /// <summary>
    /// Leases last one second of <see cref="Clock"/>; the timers are slowed to an hour so that only the test expires
    /// leases, and the scheduler's grace (<see cref="CoordinatorOptions.LeaseGrace"/>) is none.
    /// <paramref name="coordinator"/> sets more of the <c>Coordinator</c> options (name → value), the grace included.
    /// </summary>
    public static async Task<SweepCluster> StartAsync(IReadOnlyDictionary<string, string>? coordinator = null)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-grains-").FullName;
        var database = Path.Combine(folder, "store.db");
        await new SchemaMigrator(new SweepDbContextFactory(StorageConnection.Parse(database, folder))).MigrateAsync(new SchemaOptions());

        var clock = new ManualClock();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<TimeProvider>(clock);
            host.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database;
            host.Configuration["Coordinator:LeaseDuration"] = "00:00:01";
            host.Configuration["Coordinator:SweepInterval"] = "01:00:00";
            host.Configuration["Coordinator:LeaseGrace"] = "00:00:00";
            foreach (var (name, value) in coordinator ?? new Dictionary<string, string>()) host.Configuration[$"Coordinator:{name}"] = value;
            host.AddCoordinatorServices();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SweepCluster(folder, cluster, clock);
    }

    public async Task<SweepSnapshot> SubmitAsync(string yaml) => await Submissions.SubmitAsync(yaml, "test.yaml");

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

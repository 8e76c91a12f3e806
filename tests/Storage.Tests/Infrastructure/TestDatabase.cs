using Microsoft.Data.Sqlite;
using Npgsql;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Clusters;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Storage.Tests;

/// <summary>A fresh database of one provider with the stores on it and a manual clock; SQLite's file is deleted on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? sqliteFolder;

    private TestDatabase(StorageConnection connection, string? sqliteFolder)
    {
        this.sqliteFolder = sqliteFolder;
        Connection = connection;
        Contexts = new SweepDbContextFactory(connection);
        Sweeps = new SweepStore(Contexts, Clock);
        Trials = new TrialStore(Contexts, Clock);
        Leases = new TrialLeases(Contexts, Clock);
        Metrics = new EpochMetricStore(Contexts, Clock);
        Checkpoints = new CheckpointStore(Contexts, Clock);
        Figures = new TrialFigureStore(Contexts, Clock);
        Cluster = new ClusterRegistry(Contexts, Clock);
        Logs = new TrialLogStore(Contexts, Clock);
        Retries = new TrialRetries(Contexts, Clock);
    }

    public StorageConnection Connection { get; }

    public SweepDbContextFactory Contexts { get; }

    public ManualClock Clock { get; } = new();

    public SweepStore Sweeps { get; }

    public TrialStore Trials { get; }

    public TrialLeases Leases { get; }

    public EpochMetricStore Metrics { get; }

    public CheckpointStore Checkpoints { get; }

    public TrialFigureStore Figures { get; }

    public ClusterRegistry Cluster { get; }

    public TrialLogStore Logs { get; }

    public TrialRetries Retries { get; }

    public SchemaMigrator Migrator => new(Contexts);

    /// <summary>A new database of <paramref name="provider"/>, migrated to the latest schema unless <paramref name="migrated"/> is false.</summary>
    public static async Task<TestDatabase> CreateAsync(StorageProvider provider, PostgresFixture postgres, bool migrated = true)
    {
        if (provider == StorageProvider.PostgreSql)
            return new TestDatabase(StorageConnection.Parse(await postgres.CreateDatabaseAsync(migrated), Environment.CurrentDirectory), null);

        var folder = Directory.CreateTempSubdirectory("sweeprunner-sqlite-").FullName;
        var database = new TestDatabase(StorageConnection.Parse(Path.Combine(folder, "store.db"), folder), folder);
        if (migrated) await database.Migrator.MigrateAsync(new SchemaOptions());
        return database;
    }

    /// <summary>A sweep of one trial, leased: a running trial to report on.</summary>
    public async Task<TrialRecord> CreateRunningTrialAsync()
    {
        await Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        return (await Leases.LeaseNextAsync("worker-1", TimeSpan.FromMinutes(1)))!;
    }

    /// <summary>
    /// Lets the lease of <paramref name="trial"/> (one of <see cref="CreateRunningTrialAsync"/>) run out and be ended,
    /// and leases the trial again: its first lease has moved on. Returns the trial under its new lease.
    /// </summary>
    public async Task<TrialRecord> LeaseAgainAfterExpiryAsync(TrialRecord trial)
    {
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Leases.ExpireAsync(infrastructureAttempts: 3, trialTimeout: null);
        var again = (await Leases.LeaseNextAsync("worker-2", TimeSpan.FromMinutes(1)))!;
        return again.Id == trial.Id ? again : throw new InvalidOperationException($"leased trial {again.Id}, not {trial.Id}");
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections would keep the server's connection slots, or the deleted file, open after the test.
        if (Connection.Provider == StorageProvider.PostgreSql)
        {
            using var connection = new NpgsqlConnection(Connection.ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new SqliteConnection(Connection.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
        if (sqliteFolder is not null) Directory.Delete(sqliteFolder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

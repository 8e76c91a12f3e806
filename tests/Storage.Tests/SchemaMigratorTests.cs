using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Schema;
using SweepRunner.TestSupport;

namespace SweepRunner.Storage.Tests;

public sealed class SchemaMigratorTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly string[] Migrations = ["InitialSchema", "BestTrialIndexes", "TrialFigures", "EpochLatents", "SweepSpecCanonical", "TrialFailureClasses", "ClusterAndRunCap", "TrialLogs", "SweepTrialTimeout", "TrialRequiredTags"];

    [Theory, BothProviders]
    public async Task Migrating_twice_applies_everything_once_and_then_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider, migrated: false);

        var first = await db.Migrator.MigrateAsync(new SchemaOptions());
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var second = await db.Migrator.MigrateAsync(new SchemaOptions());

        Assert.Equal(Migrations, first.AppliedMigrations.Select(NameOf));
        Assert.False(first.UpToDate);
        Assert.True(second.UpToDate);
        Assert.Equal(2, (await db.Sweeps.GetAsync(sweep.Id))?.TrialCount);
        await using var context = db.Contexts.CreateDbContext();
        Assert.Equal(Migrations, (await context.Database.GetAppliedMigrationsAsync()).Select(NameOf));
    }

    [Theory, BothProviders]
    public async Task The_model_has_no_change_without_a_migration(StorageProvider provider)
    {
        // Migrating skips this check at start-up (it costs every start a second model build): it is made here.
        await using var db = await CreateDatabaseAsync(provider, migrated: false);
        await using var context = db.Contexts.CreateDbContext();

        Assert.False(context.Database.HasPendingModelChanges(), $"the {provider} model changed without a migration: add one for both providers");
    }

    [Fact]
    public async Task Sqlite_connections_wait_for_a_lock_in_SQLite_itself()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        await using var context = db.Contexts.CreateDbContext();
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";

        // 0 would mean SQLITE_BUSY at once and the driver's fixed 150 ms retry sleeps.
        Assert.Equal(30_000L, await command.ExecuteScalarAsync());
    }

    [Theory, BothProviders]
    public async Task A_database_built_by_the_first_migration_is_upgraded_keeping_its_sweeps_trials_and_epochs(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider, migrated: false);
        var rows = new FirstSchemaRows(provider, db.Clock.GetUtcNow().UtcDateTime);
        await using (var context = db.Contexts.CreateDbContext())
        {
            var initial = (await context.Database.GetPendingMigrationsAsync()).First();
            await context.Database.MigrateAsync(initial);
            await rows.InsertAsync(context);
        }
        Assert.DoesNotContain("IX_trials_sweep_id_test_total", await TrialIndexesAsync(db, provider));

        var report = await db.Migrator.MigrateAsync(new SchemaOptions());

        Assert.Equal(Migrations[1..], report.AppliedMigrations.Select(NameOf));
        Assert.Contains("IX_trials_sweep_id_test_total", await TrialIndexesAsync(db, provider));
        var sweep = await db.Sweeps.GetAsync(rows.SweepId);
        Assert.Equal(("old", FirstSchemaRows.Yaml, SweepStatus.Running, 2, null, null), (sweep?.Name, sweep?.SpecYaml, sweep?.Status, sweep?.TrialCount, sweep?.SpecCanonical, sweep?.RunCap));
        var trials = await db.Trials.ListAllAsync(rows.SweepId);
        Assert.Equal([(1, TrialStatus.Completed, 1, (double?)150.5), (2, TrialStatus.Pending, 0, null)], trials.Select(t => (t.Number, t.Status, t.CurrentEpoch, t.TestTotal)));
        var epochs = await db.Metrics.ListAsync(rows.CompletedTrialId);
        Assert.Equal([(1, MetricSplit.Train, 160.5, (int?)null), (1, MetricSplit.Test, 150.5, null)], epochs.Select(e => (e.Epoch, e.Split, e.Total, e.ActiveUnits)).Order());
        var checkpoint = await db.Checkpoints.GetAsync(rows.CompletedTrialId);
        Assert.Equal(FirstSchemaRows.Checkpoint, checkpoint?.Bytes);
        // And the upgraded store goes on: the pending trial is leased, more trials are added.
        Assert.Equal(rows.PendingTrialId, (await db.Leases.LeaseNextAsync("worker-1", TimeSpan.FromMinutes(1)))?.Id);
        await db.Sweeps.AddTrialsAsync(rows.SweepId, Samples.Trials(1, first: 3));
        Assert.Equal(3, (await db.Sweeps.GetAsync(rows.SweepId))?.TrialCount);
    }

    [Theory, BothProviders]
    public async Task A_store_upgraded_by_a_newer_version_is_refused_naming_both_versions(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Cluster.JoinAsCoordinatorAsync("sweeprunner", ProductVersion.Parse("9.1.0")!);
        await using (var context = db.Contexts.CreateDbContext())
            await FirstSchemaRows.RecordMigrationAsync(context, "29991231000000_FromTheFuture");

        var error = await Assert.ThrowsAsync<IncompatibleStoreException>(() => db.Migrator.MigrateAsync(new SchemaOptions()));

        Assert.Equal(
            $"this database was upgraded by SweepRunner 9.1.0 (migrations 29991231000000_FromTheFuture); this is SweepRunner {ProductVersion.Current}, which does not know them: run the newer version",
            error.Message);
    }

    [Fact]
    public async Task Orleans_clustering_schema_is_applied_once_with_the_migrations()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.PostgreSql, migrated: false);
        var options = new SchemaOptions { OrleansClustering = true };

        var first = await db.Migrator.MigrateAsync(options);
        var second = await db.Migrator.MigrateAsync(options);

        Assert.Equal(["PostgreSQL-Main.sql", "PostgreSQL-Clustering.sql"], first.AppliedOrleansScripts);
        Assert.Equal(Migrations, first.AppliedMigrations.Select(NameOf));
        Assert.True(second.UpToDate);
        await using var context = db.Contexts.CreateDbContext();
        string[] keys = ["InsertMembershipKey", "UpdateIAmAlivetimeKey", "MembershipReadAllKey"];
        int found = await context.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM orleansquery WHERE querykey = ANY({keys})").SingleAsync();
        Assert.Equal(keys.Length, found);
    }

    [Fact]
    public async Task Orleans_clustering_on_sqlite_is_refused()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite, migrated: false);

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.Migrator.MigrateAsync(new SchemaOptions { OrleansClustering = true }));

        Assert.Equal($"Orleans ADO.NET clustering needs PostgreSQL, but the store is the SQLite database {db.Connection.SqliteFile}", error.Message);
    }

    [Fact]
    public async Task A_server_nobody_listens_on_is_reported_by_host_and_port_without_the_password()
    {
        int port = FreePort.Pick();
        var connection = StorageConnection.Parse($"Host=127.0.0.1;Port={port};Database=sweeps;Username=sweep;Password=hunter2", Environment.CurrentDirectory);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new SchemaMigrator(new SweepDbContextFactory(connection)).MigrateAsync(new SchemaOptions()));

        Assert.StartsWith($"cannot reach the PostgreSQL at 127.0.0.1:{port}, database sweeps, user sweep: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_missing_on_the_server_is_created_and_migrated()
    {
        var connection = StorageConnection.Parse(Postgres.Server.ConnectionString("created_by_migration"), Environment.CurrentDirectory);

        var report = await new SchemaMigrator(new SweepDbContextFactory(connection)).MigrateAsync(new SchemaOptions());

        Assert.Equal(Migrations, report.AppliedMigrations.Select(NameOf));
        var error = await Assert.ThrowsAsync<ChildProcessException>(() => Postgres.Server.CreateDatabaseAsync("created_by_migration", template: null));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_file_whose_folder_cannot_be_made_is_reported_as_unreachable()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            var connection = StorageConnection.Parse(Path.Combine(blocker, "store.db"), Environment.CurrentDirectory);

            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new SchemaMigrator(new SweepDbContextFactory(connection)).MigrateAsync(new SchemaOptions()));

            Assert.StartsWith($"cannot reach the SQLite database {Path.Combine(blocker, "store.db")}: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    // Migration ids are "yyyyMMddHHmmss_Name".
    private static string NameOf(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    private static async Task<List<string>> TrialIndexesAsync(TestDatabase db, StorageProvider provider)
    {
        await using var context = db.Contexts.CreateDbContext();
        var names = provider == StorageProvider.PostgreSql
            ? context.Database.SqlQuery<string>($"SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'trials'")
            : context.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trials'");
        return await names.ToListAsync();
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Schema;

/// <summary>
/// The schema step: applies the provider's pending migrations (and the Orleans clustering schema when asked), and
/// turns a database that cannot be reached into a <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed class SchemaMigrator(SweepDbContextFactory contexts)
{
    public StorageConnection Connection => contexts.Connection;

    public async Task<MigrationReport> MigrateAsync(SchemaOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequirePostgresForClustering(options);
        return await ReachAsync(async () =>
        {
            if (Connection.SqliteFile is { } file) Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var db = contexts.CreateDbContextWithoutRetry();
            await RefuseNewerStoreAsync(db, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            // Write-ahead logging lets readers (status queries) go on while a worker writes; the setting stays with the file.
            if (Connection.Provider == StorageProvider.Sqlite) await db.Database.ExecuteSqlAsync($"PRAGMA journal_mode = WAL", cancellationToken);
            var orleans = options.OrleansClustering ? await OrleansSchema.ApplyClusteringAsync(db, cancellationToken) : [];
            return new MigrationReport(Connection.Description, pending, orleans);
        });
    }

    /// <summary>
    /// What <see cref="MigrateAsync"/> would apply, without applying or creating anything (a role without schema rights
    /// can ask): the pending migrations, then the Orleans clustering scripts not applied when <paramref name="options"/>
    /// asks for them. Empty when the schema is up to date.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingAsync(SchemaOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequirePostgresForClustering(options);
        // A SQLite file that is not there yet has every migration pending; opening it would create it.
        await using var db = contexts.CreateDbContextWithoutRetry();
        if (Connection.SqliteFile is { } file && !File.Exists(file)) return [.. db.Database.GetMigrations()];
        return await ReachAsync<IReadOnlyList<string>>(async () =>
        {
            await RefuseNewerStoreAsync(db, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (options.OrleansClustering) pending.AddRange(await OrleansSchema.MissingClusteringAsync(db, cancellationToken));
            return pending;
        });
    }

    private void RequirePostgresForClustering(SchemaOptions options)
    {
        if (options.OrleansClustering && Connection.Provider != StorageProvider.PostgreSql)
            throw new StorageConfigurationException($"Orleans ADO.NET clustering needs PostgreSQL, but the store is the {Connection.Description}");
    }

    /// <summary>Runs <paramref name="step"/>, turning a database that cannot be reached into a <see cref="StorageUnavailableException"/>.</summary>
    private async Task<T> ReachAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ConnectionFailure.Reason(ex) is { } reason)
        {
            throw new StorageUnavailableException(Connection, reason, ConnectionFailure.MayComeUp(ex), ex);
        }
    }

    /// <summary>
    /// Throws <see cref="IncompatibleStoreException"/> when the store has migrations this build does not know: a newer
    /// version upgraded it, and this one would misread what it wrote. The message names the version that did (the
    /// cluster's coordinator) when the store says.
    /// </summary>
    private static async Task RefuseNewerStoreAsync(SweepDbContext db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(migration => !known.Contains(migration)).ToList();
        if (unknown.Count == 0) return;
        string newer = await NewerVersionAsync(db, cancellationToken) is { } version ? $"SweepRunner {version}" : "a newer SweepRunner";
        throw new IncompatibleStoreException(
            $"this database was upgraded by {newer} (migrations {string.Join(", ", unknown)}); this is SweepRunner {ProductVersion.Current}, " +
            "which does not know them: run the newer version");
    }

    private static async Task<string?> NewerVersionAsync(SweepDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            return await db.Cluster.Select(c => c.CoordinatorVersion).SingleOrDefaultAsync(cancellationToken);
        }
        catch (DbException)
        {
            // The newer version changed the table's shape: the message goes without its number.
            return null;
        }
    }
}

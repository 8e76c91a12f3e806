using Microsoft.EntityFrameworkCore;
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
        if (options.OrleansClustering && Connection.Provider != StorageProvider.PostgreSql)
            throw new StorageConfigurationException($"Orleans ADO.NET clustering needs PostgreSQL, but the store is the {Connection.Description}");
        try
        {
            if (Connection.SqliteFile is { } file) Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var db = contexts.CreateDbContextWithoutRetry();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            // Write-ahead logging lets readers (status queries) go on while a worker writes; the setting stays with the file.
            if (Connection.Provider == StorageProvider.Sqlite) await db.Database.ExecuteSqlAsync($"PRAGMA journal_mode = WAL", cancellationToken);
            var orleans = options.OrleansClustering ? await OrleansSchema.ApplyClusteringAsync(db, cancellationToken) : [];
            return new MigrationReport(Connection.Description, pending, orleans);
        }
        catch (Exception ex) when (ConnectionFailure.Reason(ex) is { } reason)
        {
            throw new StorageUnavailableException(Connection, reason, ConnectionFailure.MayComeUp(ex), ex);
        }
    }
}

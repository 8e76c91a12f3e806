using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage;

/// <summary>Creates the provider's <see cref="SweepDbContext"/> for one <see cref="StorageConnection"/>.</summary>
public sealed class SweepDbContextFactory : IDbContextFactory<SweepDbContext>
{
    private readonly Func<SweepDbContext> create;

    public SweepDbContextFactory(StorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        create = connection.Provider switch
        {
            StorageProvider.PostgreSql => CreatePostgres(connection.ConnectionString),
            StorageProvider.Sqlite => CreateSqlite(connection.ConnectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(connection), connection.Provider, "unknown storage provider"),
        };
    }

    public StorageConnection Connection { get; }

    public SweepDbContext CreateDbContext() => create();

    internal static DbContextOptions<PostgresSweepDbContext> PostgresOptions(string connectionString) =>
        new DbContextOptionsBuilder<PostgresSweepDbContext>().UseNpgsql(connectionString).Options;

    internal static DbContextOptions<SqliteSweepDbContext> SqliteOptions(string connectionString) =>
        new DbContextOptionsBuilder<SqliteSweepDbContext>().UseSqlite(connectionString).Options;

    private static Func<SweepDbContext> CreatePostgres(string connectionString)
    {
        var options = PostgresOptions(connectionString);
        return () => new PostgresSweepDbContext(options);
    }

    private static Func<SweepDbContext> CreateSqlite(string connectionString)
    {
        var options = SqliteOptions(connectionString);
        return () => new SqliteSweepDbContext(options);
    }
}

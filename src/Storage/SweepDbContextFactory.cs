using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage;

/// <summary>
/// Creates the provider's <see cref="SweepDbContext"/> for one <see cref="StorageConnection"/>. PostgreSQL contexts
/// retry transient errors (server restarting, connection dropped) for about <see cref="RetryBudget"/>; SQLite ones do
/// not retry (one process, nothing to wait for).
/// </summary>
public sealed class SweepDbContextFactory : IDbContextFactory<SweepDbContext>
{
    /// <summary>Retries of one operation; with EF's exponential delays capped at <see cref="MaxRetryDelay"/> they add up to about a minute.</summary>
    public const int MaxRetryCount = 9;

    /// <summary>The longest wait between two tries of one operation.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>About the most time an operation spends waiting for PostgreSQL before it fails (delays 0, 1, 3, 7, then 10 s, each up to 10 % more).</summary>
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(60);

    private readonly Func<SweepDbContext> create;
    private readonly Func<SweepDbContext> createWithoutRetry;

    public SweepDbContextFactory(StorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        (create, createWithoutRetry) = connection.Provider switch
        {
            StorageProvider.PostgreSql => (CreatePostgres(connection.ConnectionString, retry: true), CreatePostgres(connection.ConnectionString, retry: false)),
            // SQLite contexts never retry: one pool serves both.
            StorageProvider.Sqlite => CreateSqlite(connection.ConnectionString) is var sqlite ? (sqlite, sqlite) : default,
            _ => throw new ArgumentOutOfRangeException(nameof(connection), connection.Provider, "unknown storage provider"),
        };
    }

    public StorageConnection Connection { get; }

    public SweepDbContext CreateDbContext() => create();

    /// <summary>
    /// A context that fails at the first error: for the schema step, which reports an unreachable server at once (the
    /// hosts wait for it with their own backoff and message; <c>sweep db migrate</c> exits).
    /// </summary>
    internal SweepDbContext CreateDbContextWithoutRetry() => createWithoutRetry();

    /// <summary>
    /// Starts building the store's model on a pool thread: a few tenths of a second of reflection over the entity
    /// configurations, once per process, which the first context otherwise spends on its caller's thread (a host's
    /// start, in the schema step). A context that needs the model meanwhile waits for the same build. A model that
    /// fails to build fails that first context the same way, which reports it; here the failure is dropped. Touches
    /// no database. Nothing needs to wait for the task: its result is the model the contexts share (null: it failed).
    /// </summary>
    public Task<IModel?> BuildModelInBackground() => Task.Run(() =>
    {
        try
        {
            using var db = createWithoutRetry();
            return db.Model;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Reported by the first context that needs the model.
            return null;
        }
    });

    internal static DbContextOptions<PostgresSweepDbContext> PostgresOptions(string connectionString, bool retry = true) =>
        new DbContextOptionsBuilder<PostgresSweepDbContext>()
            .UseNpgsql(connectionString, postgres =>
            {
                if (retry) postgres.EnableRetryOnFailure(MaxRetryCount, MaxRetryDelay, errorCodesToAdd: null);
            })
            .ConfigureWarnings(SkipPendingModelCheck)
            .Options;

    internal static DbContextOptions<SqliteSweepDbContext> SqliteOptions(string connectionString) =>
        new DbContextOptionsBuilder<SqliteSweepDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(SqliteBusyTimeout.Instance)
            .ConfigureWarnings(SkipPendingModelCheck)
            .Options;

    /// <summary>
    /// Migrating checks by default that the model has no change without a migration: it builds the model of the last
    /// migration's snapshot and compares the two, a few hundred milliseconds of every start. The tests make that check
    /// once per provider instead (<c>SchemaMigratorTests</c>), where a missing migration is a developer's error.
    /// </summary>
    private static void SkipPendingModelCheck(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.PendingModelChangesWarning);

    // Pooled: a new context resolves a few dozen services from EF Core's internal container, through its reflection-based
    // engine since the CLI turns the emitted one off, and the stores make one per operation (a host's follower, grains
    // and slots, many a second). A pooled context is reset when disposed and handed out again.
    private static Func<SweepDbContext> CreatePostgres(string connectionString, bool retry) =>
        new PooledDbContextFactory<PostgresSweepDbContext>(PostgresOptions(connectionString, retry)).CreateDbContext;

    private static Func<SweepDbContext> CreateSqlite(string connectionString) =>
        new PooledDbContextFactory<SqliteSweepDbContext>(SqliteOptions(connectionString)).CreateDbContext;
}

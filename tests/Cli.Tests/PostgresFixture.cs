using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>One throw-away PostgreSQL for a test class; each test takes a database of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("the server is started by InitializeAsync");

    public async Task InitializeAsync() => server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    /// <summary>The schema migrations applied to <paramref name="database"/>: none for a store nothing was written to.</summary>
    public static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(string database)
    {
        await using var db = new SweepDbContextFactory(StorageConnection.Parse(database, Environment.CurrentDirectory)).CreateDbContext();
        return [.. await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetAppliedMigrationsAsync(db.Database)];
    }
}

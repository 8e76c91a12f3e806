using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.TestSupport;

namespace SweepRunner.Storage.Tests;

/// <summary>
/// One PostgreSQL server for the whole test run, with a migrated template database that each test copies (a copy
/// takes milliseconds; migrating takes much longer).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string MigratedTemplate = "migrated_template";

    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("the PostgreSQL server has not started");

    /// <summary>A new database, migrated to the latest schema unless <paramref name="migrated"/> is false.</summary>
    public Task<string> CreateDatabaseAsync(bool migrated = true) => Server.CreateDatabaseAsync(migrated ? MigratedTemplate : null);

    public async Task InitializeAsync()
    {
        server = await PostgresServer.StartAsync();
        await server.CreateDatabaseAsync(MigratedTemplate, template: null);
        // No pooling: a template cannot be copied while a connection to it stays open.
        var template = StorageConnection.Parse(server.ConnectionString(MigratedTemplate) + ";Pooling=false", Environment.CurrentDirectory);
        await new SchemaMigrator(new SweepDbContextFactory(template)).MigrateAsync(new SchemaOptions());
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}

using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>One throw-away PostgreSQL for a test class; a database of its own for each test.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}

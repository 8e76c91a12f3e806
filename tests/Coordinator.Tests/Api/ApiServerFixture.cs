namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>
/// One <see cref="ApiServer"/> for the tests of a class (each starts in seconds): for tests that each make their own
/// sweeps and read only those, or what no sweep of another test changes.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private ApiServer? server;

    public ApiServer Server => server ?? throw new InvalidOperationException("the API server has not started");

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}

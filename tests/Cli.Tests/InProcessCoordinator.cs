using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Cli.Commands;
using SweepRunner.Coordinator;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// What <c>sweep coordinator</c> runs (silo and REST API, SQLite store), in this process on free ports; no workers.
/// The store is a fresh file, or an existing one (<see cref="Over"/>).
/// </summary>
public sealed class InProcessCoordinator : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("sweeprunner-coordinator-").FullName;
    private readonly string? database;
    private WebApplication? app;

    // One public constructor: xunit builds the class fixtures with it.
    public InProcessCoordinator()
    {
    }

    private InProcessCoordinator(string database) => this.database = database;

    /// <summary>A coordinator serving the sweeps of <paramref name="database"/>, such as an embedded run's; start it with InitializeAsync.</summary>
    public static InProcessCoordinator Over(string database) => new(database);

    public string Url { get; private set; } = "";

    public IServiceProvider Services => app!.Services;

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        app = CoordinatorHost.Build("http://127.0.0.1:0", database ?? Path.Combine(folder, "store.db"), new Dictionary<string, string?>
        {
            [CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
        });
        await app.StartAsync();
        Url = app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

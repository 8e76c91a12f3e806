using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Api;
using SweepRunner.Hosting;
using SweepRunner.ServiceDefaults;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.WebUi;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// The distributed coordinator: the Orleans silo with the sweep and scheduler grains plus the REST API, in one process.
/// On PostgreSQL the silo uses ADO.NET clustering on the same database, so that workers in other processes join.
/// </summary>
internal static class CoordinatorHost
{
    /// <param name="urls">Where the API listens; null: <c>urls</c> from the environment, else <see cref="CoordinatorApiHostingExtensions.DefaultUrl"/>.</param>
    /// <param name="connection">The sweep store; null: <c>ConnectionStrings__SweepRunner</c>, else the SQLite default (no remote workers then).</param>
    /// <param name="settings">More configuration, over the environment's (tests: free Orleans ports; <c>--verbose</c>: <see cref="ServiceDefaultsExtensions.VerboseKey"/>).</param>
    public static WebApplication Build(string? urls, string? connection, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(ServiceDefaultsExtensions.CommandHostOptions(Environment.CurrentDirectory));
        var given = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (urls is not null) given["urls"] = urls;
        if (connection is not null) given[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = connection;
        builder.Configuration.AddInMemoryCollection(given);
        // Workers can only join a cluster whose membership table they can read: PostgreSQL means ADO.NET clustering.
        if (StorageConnection.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath).Provider == StorageProvider.PostgreSql)
            builder.Configuration[SchemaOptions.OrleansClusteringKey] = "AdoNet";
        builder.AddServiceDefaults();
        builder.UseCommandLifetime();
        builder.AddCoordinator();
        builder.AddCoordinatorApi();
        var app = builder.Build();
        app.MapCoordinatorApi();
        app.MapWebUi();
        app.MapDefaultEndpoints();
        return app;
    }
}

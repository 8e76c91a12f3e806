using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Api;
using SweepRunner.ServiceDefaults;
using SweepRunner.Storage.Connection;
using SweepRunner.WebUi;
using SweepRunner.Worker;

namespace SweepRunner.Hosting;

/// <summary>
/// The embedded mode (<c>sweep run</c>, the scheduling benchmark): one process hosting the coordinator silo (localhost
/// clustering, SQLite), the worker slots and the REST API, composed with the same <c>AddCoordinator</c>,
/// <c>AddWorker</c> and <c>AddCoordinatorApi</c> a deployment uses.
/// </summary>
public static class EmbeddedHost
{
    /// <summary>Where the API listens when <see cref="CoordinatorApiHostingExtensions.DefaultUrl"/> is taken: a port the system picks.</summary>
    public const string FreeLoopbackUrl = "http://127.0.0.1:0";

    /// <summary>How long an idle slot of the embedded mode waits before it asks for a trial again.</summary>
    public static readonly TimeSpan EmbeddedIdlePoll = TimeSpan.FromMilliseconds(50);

    public static WebApplication Build(EmbeddedHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(ServiceDefaultsExtensions.CommandHostOptions(settings.ContentRoot));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = settings.Database,
            // Free ports rather than Orleans' fixed defaults, so that two embedded sweeps can run side by side.
            [CoordinatorHostingExtensions.SiloPortKey] = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            [WebHostDefaults.ServerUrlsKey] = settings.Urls ?? DefaultUrlOrFree(),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = settings.Slots.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = settings.WorkerName,
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = settings.Threads?.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Device)}"] = settings.Device,
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.MaxPackedTrials)}"] = settings.MaxPackedTrials?.ToString(CultureInfo.InvariantCulture),
            // A lease asked for in-process is cheap: idle slots ask every 50 ms (a deployment's, over the network, every
            // 200), so the sweep's first trials start within 50 ms of its being stored.
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.IdlePoll)}"] = EmbeddedIdlePoll.ToString("c", CultureInfo.InvariantCulture),
            [ServiceDefaultsExtensions.VerboseKey] = settings.Verbose ? "true" : null,
        });
        // The live table says what the trials do; of SweepRunner's own log, only problems.
        builder.AddServiceDefaults(ownMessages: LogLevel.Warning);
        builder.UseCommandLifetime();
        // Registered before AddWorker, which then keeps it instead of the VAE trainer.
        if (settings.Trainer is not null) builder.Services.AddSingleton(settings.Trainer);
        builder.AddCoordinator();
        builder.AddWorker();
        builder.AddCoordinatorApi();
        var app = builder.Build();
        app.MapCoordinatorApi();
        app.MapWebUi();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>The default URL, unless its port is taken (another <c>sweep run</c>, a coordinator): then a free one.</summary>
    private static string DefaultUrlOrFree()
    {
        var defaultAddress = new Uri(CoordinatorApiHostingExtensions.DefaultUrl);
        try
        {
            using var probe = new TcpListener(IPAddress.Parse(defaultAddress.Host), defaultAddress.Port);
            probe.Start();
            return CoordinatorApiHostingExtensions.DefaultUrl;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return FreeLoopbackUrl;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Coordinator;
using SweepRunner.Storage;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// The embedded mode: one process hosting the coordinator silo (localhost clustering, SQLite) and the worker slots,
/// composed with the same <c>AddCoordinator</c>/<c>AddWorker</c> a deployment uses.
/// </summary>
internal static class EmbeddedHost
{
    public static IHost Build(string database, int workers, int? threads, string device)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Environment.CurrentDirectory, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            // Free ports rather than Orleans' fixed defaults, so that two embedded sweeps can run side by side.
            [CoordinatorHostingExtensions.SiloPortKey] = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = "local",
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = threads?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Device)}"] = device,
        });
        // The live table is the output; only problems are logged, to standard error.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCoordinator();
        builder.AddWorker();
        return builder.Build();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

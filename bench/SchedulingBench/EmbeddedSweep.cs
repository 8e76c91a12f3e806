using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage;
using SweepRunner.Worker;
using SweepRunner.Worker.Training;

namespace SweepRunner.Bench;

/// <summary>What one sweep run left: its trials as stored, when it was submitted (<see cref="Stopwatch.GetTimestamp"/>), and the wall time to its completion.</summary>
internal sealed record FinishedSweep(IReadOnlyList<TrialRecord> Trials, long SubmittedAt, TimeSpan Wall);

/// <summary>
/// Runs one sweep the way <c>sweep run</c> does (src/Cli/Commands/EmbeddedHost.cs): a host composed with
/// <c>AddCoordinator</c> and <c>AddWorker</c>, localhost clustering on free ports, a fresh SQLite file migrated at
/// start, the default coordinator and worker options; only the trainer is the bench's.
/// </summary>
internal static class EmbeddedSweep
{
    /// <summary>How often completion is checked: a cheap read, which WAL lets run beside the slots' writes.</summary>
    private static readonly TimeSpan CompletionPoll = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public static async Task<FinishedSweep> RunAsync(string yaml, int slots, ITrialTrainer trainer)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-scheduling-").FullName;
        try
        {
            using var host = Build(Path.Combine(folder, "sweeprunner.db"), folder, slots, trainer);
            await host.StartAsync();
            try
            {
                return await RunToCompletionAsync(host.Services, yaml);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<FinishedSweep> RunToCompletionAsync(IServiceProvider services, string yaml)
    {
        var sweeps = services.GetRequiredService<SweepStore>();
        long submitted = Stopwatch.GetTimestamp();
        var started = await services.GetRequiredService<SweepSubmissions>().SubmitAsync(yaml, "scheduling-bench.yaml");
        while ((await sweeps.GetAsync(started.SweepId))!.Status != SweepStatus.Completed)
        {
            if (Stopwatch.GetElapsedTime(submitted) > Timeout) throw new TimeoutException($"the sweep did not complete within {Timeout}");
            await Task.Delay(CompletionPoll);
        }
        var wall = Stopwatch.GetElapsedTime(submitted);

        var store = services.GetRequiredService<TrialStore>();
        var trials = new List<TrialRecord>();
        for (int? after = 0; after is { } next;)
        {
            var page = await store.ListAsync(new TrialQuery(started.SweepId) { AfterNumber = next, Limit = TrialQuery.MaxLimit });
            trials.AddRange(page.Trials);
            after = page.NextAfterNumber;
        }
        return new FinishedSweep(trials, submitted, wall);
    }

    private static IHost Build(string database, string folder, int slots, ITrialTrainer trainer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            [CoordinatorHostingExtensions.SiloPortKey] = FreeLoopbackPort(),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreeLoopbackPort(),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Slots)}"] = slots.ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = "bench",
        });
        // As in `sweep run`: only problems are logged, so that logging costs what it costs there.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Registered before AddWorker, which then keeps it instead of the VAE trainer.
        builder.Services.AddSingleton(trainer);
        builder.AddCoordinator();
        builder.AddWorker();
        return builder.Build();
    }

    private static string FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// A cluster whose coordinator needs its token for reads (<c>Api__RequireTokenForReads</c>, the token in
/// <c>Api__TokenFile</c>), with one worker (metrics on a free port) on a throw-away PostgreSQL; no sweep. The token
/// file is also the one Prometheus is given.
/// </summary>
public sealed partial class ReadTokenCluster : IAsyncLifetime
{
    public const string WorkerName = "worker-token";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string folder = Directory.CreateTempSubdirectory("sweeprunner-read-token-").FullName;
    private PostgresServer? postgres;
    private SweepProcess? coordinator;
    private SweepProcess? worker;

    /// <summary>The coordinator's API (and metrics) address, http://127.0.0.1:PORT/.</summary>
    public Uri Api { get; private set; } = null!;

    /// <summary>The worker's metrics URL as it printed it.</summary>
    public Uri WorkerMetrics { get; private set; } = null!;

    public string TokenFile => Path.Combine(folder, "token");

    /// <summary>What the processes printed, for failure messages.</summary>
    public string Output => $"coordinator:\n{coordinator?.Output}\nworker:\n{worker?.Output}";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(TokenFile, "prometheus-scrape-token\n");
        postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync() + ";Pooling=false";
        Api = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        coordinator = SweepProcess.Start(
            new Dictionary<string, string>
            {
                ["Orleans__SiloPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
                ["Api__TokenFile"] = TokenFile,
                ["Api__RequireTokenForReads"] = "true",
            },
            "coordinator", "--urls", Api.ToString().TrimEnd('/'), "--postgres", database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", database, "--name", WorkerName, "--threads", "1", "--metrics-port", "0");
        await worker.WaitForOutputAsync("worker: metrics on", StartTimeout);
        WorkerMetrics = new Uri(MetricsLine().Match(worker.Output).Groups["url"].Value);
    }

    /// <summary>A shipped configuration pointed at this cluster, scraping every second.</summary>
    public PrometheusConfig Configure(PrometheusConfig shipped)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        return shipped
            .WithInterval(TimeSpan.FromSeconds(1))
            .WithStaticTargets("sweeprunner-coordinator", $"{Api.Host}:{Api.Port}")
            .WithServiceDiscoveryUrl("sweeprunner-workers", new Uri(Api, "api/prometheus/targets"));
    }

    public async Task DisposeAsync()
    {
        worker?.Dispose();
        coordinator?.Dispose();
        if (postgres is not null) await postgres.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [GeneratedRegex(@"worker: metrics on (?<url>\S+)")]
    private static partial Regex MetricsLine();
}

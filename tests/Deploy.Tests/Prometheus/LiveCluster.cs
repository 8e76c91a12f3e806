using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepRunner.Deploy.Tests.Grafana;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// A SweepRunner cluster for real, watched by a real Prometheus with the shipped configuration: a coordinator process
/// and a worker process (metrics on a free port) on a throw-away PostgreSQL, Prometheus scraping the coordinator as its
/// static target and the worker through the coordinator's service discovery, every second. The fixture runs a small
/// sweep (two MLP trials, three epochs each) to its end, so that every family has its series, and grants the store's
/// read-only role for the dashboards' SQL.
/// </summary>
public sealed partial class LiveCluster : IAsyncLifetime
{
    public const string WorkerName = "worker-live";
    public const string ReadonlyRole = "sweeprunner_grafana";
    public const int Epochs = 3;

    private const string SweepFile = "name: live\nmethod: grid\nepochs: 3\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 4]\n";
    private const string ReadonlyPassword = "live-grafana-password";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly HttpClient Http = new();
    private PostgresServer? postgres;
    private SweepProcess? coordinator;
    private SweepProcess? worker;
    private PrometheusServer? prometheus;

    public PrometheusServer Prometheus => prometheus ?? throw new InvalidOperationException("not started");

    public PrometheusConfig Config { get; private set; } = null!;

    /// <summary>The coordinator's API (and metrics) address, http://127.0.0.1:PORT/.</summary>
    public Uri Api { get; private set; } = null!;

    /// <summary>The worker's metrics URL as it printed it.</summary>
    public Uri WorkerMetrics { get; private set; } = null!;

    /// <summary>The store, as its owner.</summary>
    public string Database { get; private set; } = "";

    /// <summary>The store, as the dashboards' read-only role.</summary>
    public string ReadonlyDatabase { get; private set; } = "";

    public Guid SweepId { get; private set; }

    /// <summary>What the processes printed, for failure messages.</summary>
    public string Output => $"coordinator:\n{coordinator?.Output}\nworker:\n{worker?.Output}";

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        Database = await postgres.CreateDatabaseAsync() + ";Pooling=false";
        Api = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        coordinator = SweepProcess.Start(
            new Dictionary<string, string>
            {
                ["Orleans__SiloPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
                ["Coordinator__SweepInterval"] = "00:00:01",
            },
            "coordinator", "--urls", Api.ToString().TrimEnd('/'), "--postgres", Database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", Database, "--name", WorkerName, "--threads", "1", "--metrics-port", "0");
        await worker.WaitForOutputAsync("worker: metrics on", StartTimeout);
        WorkerMetrics = new Uri(MetricsLine().Match(worker.Output).Groups["url"].Value);

        Config = PrometheusConfig.LoadShipped()
            .WithInterval(TimeSpan.FromSeconds(1))
            .WithStaticTargets("sweeprunner-coordinator", $"{Api.Host}:{Api.Port}")
            .WithServiceDiscoveryUrl("sweeprunner-workers", new Uri(Api, "api/prometheus/targets"));
        prometheus = await PrometheusServer.StartAsync(Config);

        SweepId = await RunSweepAsync();
        await GrantReadonlyRoleAsync();
    }

    public async Task DisposeAsync()
    {
        if (prometheus is not null) await prometheus.DisposeAsync();
        worker?.Dispose();
        coordinator?.Dispose();
        if (postgres is not null) await postgres.DisposeAsync();
    }

    public static Task<string> ScrapeAsync(Uri metrics) => Http.GetStringAsync(metrics);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails with <paramref name="explain"/>, Prometheus' log and the
    /// processes' output if it still does not after a generous while (scrapes and rule evaluations come every second).
    /// </summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{explain()}\nPrometheus' log:\n{Prometheus.Log}\n{Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private async Task<Guid> RunSweepAsync()
    {
        using var content = new StringContent(SweepFile, Encoding.UTF8, "text/yaml");
        using var submitted = await Http.PostAsync(new Uri(Api, "api/sweeps?file=live.yaml"), content);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var id = Guid.Parse((string)JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["sweep_id"]!);
        var deadline = DateTime.UtcNow + SweepTimeout;
        while ((string?)JsonNode.Parse(await Http.GetStringAsync(new Uri(Api, $"api/sweeps/{id}")))!["sweep"]!["status"] != "completed")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep {id} did not complete within {SweepTimeout}:\n{Output}");
            await Task.Delay(500);
        }
        return id;
    }

    /// <summary>The role as docs/metrics.md says to create it: the shipped script, then a password of one's own.</summary>
    private async Task GrantReadonlyRoleAsync()
    {
        string script = await File.ReadAllTextAsync(RepositoryFiles.Find("deploy/grafana/readonly-role.sql"));
        await ReadonlyStoreFixture.ExecuteAsync(Database, script);
        await ReadonlyStoreFixture.ExecuteAsync(Database, $"ALTER ROLE {ReadonlyRole} PASSWORD '{ReadonlyPassword}'");
        ReadonlyDatabase = new Npgsql.NpgsqlConnectionStringBuilder(Database) { Username = ReadonlyRole, Password = ReadonlyPassword }.ConnectionString;
    }

    [GeneratedRegex(@"worker: metrics on (?<url>\S+)")]
    private static partial Regex MetricsLine();
}

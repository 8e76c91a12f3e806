using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// The shipped Prometheus configuration run by a real Prometheus, pointed at stand-ins for a coordinator and a worker
/// that serve the metric contract's families (Exposition/*.prom): the coordinator as the static target, the worker
/// listed by the coordinator's service discovery document. Everything every second.
/// </summary>
public sealed class StandInCluster : IAsyncLifetime
{
    public const string SweepId = "3f9c2a7e-5b1d-4c8e-9a2f-1d2e3f4a5b6c";
    public const string WorkerName = "host-1234";
    public const string TargetsPath = "/api/prometheus/targets";

    private const string Exposition = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private StandInExporter? worker;
    private StandInExporter? coordinator;
    private PrometheusServer? prometheus;

    public StandInExporter Worker => worker ?? throw new InvalidOperationException("not started");

    public StandInExporter Coordinator => coordinator ?? throw new InvalidOperationException("not started");

    public PrometheusServer Prometheus => prometheus ?? throw new InvalidOperationException("not started");

    public PrometheusConfig Config { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        worker = StandInExporter.Start(new Dictionary<string, (string, string)> { ["/metrics"] = (Exposition, ReadExposition("worker.prom")) });
        string discovery = $$$"""[{"targets":["{{{worker.Target}}}"],"labels":{"worker":"{{{WorkerName}}}"}}]""";
        coordinator = StandInExporter.Start(new Dictionary<string, (string, string)>
        {
            ["/metrics"] = (Exposition, ReadExposition("coordinator.prom")),
            [TargetsPath] = ("application/json", discovery),
        });
        Config = PrometheusConfig.LoadShipped()
            .WithInterval(TimeSpan.FromSeconds(1))
            .WithStaticTargets("sweeprunner-coordinator", coordinator.Target)
            .WithServiceDiscoveryUrl("sweeprunner-workers", new Uri(coordinator.Address, TargetsPath));
        prometheus = await PrometheusServer.StartAsync(Config);
    }

    public async Task DisposeAsync()
    {
        if (prometheus is not null) await prometheus.DisposeAsync();
        if (coordinator is not null) await coordinator.DisposeAsync();
        if (worker is not null) await worker.DisposeAsync();
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails with <paramref name="explain"/> and Prometheus' log if it
    /// still does not after a generous while (scrapes and rule evaluations come every second).
    /// </summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{explain()}\nPrometheus' log:\n{Prometheus.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static string ReadExposition(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Prometheus", "Exposition", file));
}

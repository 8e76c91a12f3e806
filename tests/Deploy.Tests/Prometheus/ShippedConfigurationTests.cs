using System.Text.Json.Nodes;
using SweepRunner.Deploy.Tests.Grafana;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// deploy/prometheus run for real: Prometheus scrapes the coordinator and the workers its service discovery lists, the
/// shipped rules evaluate, and every dashboard PromQL query returns series from the metric contract's families.
/// </summary>
public sealed class ShippedConfigurationTests(StandInCluster cluster) : IClassFixture<StandInCluster>
{
    [Fact]
    public async Task Prometheus_scrapes_the_coordinator_and_the_worker_its_service_discovery_lists()
    {
        IReadOnlyList<PrometheusTarget> targets = [];
        await cluster.EventuallyAsync(
            async () =>
            {
                targets = await cluster.Prometheus.TargetsAsync();
                return targets.Count == 2 && targets.All(target => target.Health == "up");
            },
            () => $"targets: {string.Join("; ", targets)}");

        var byJob = targets.ToDictionary(target => target.Job);
        Assert.Equal(new Uri(cluster.Coordinator.Address, "metrics"), byJob["sweeprunner-coordinator"].ScrapeUrl);
        Assert.Equal(new Uri(cluster.Worker.Address, "metrics"), byJob["sweeprunner-workers"].ScrapeUrl);
        Assert.Equal(StandInCluster.WorkerName, byJob["sweeprunner-workers"].Labels["worker"]);
    }

    [Fact]
    public async Task Every_dashboard_query_returns_series()
    {
        // What Grafana sends with every variable on All, one sweep picked, and a 1 s scrape interval.
        var queries = DashboardQueries.LoadShipped().PromQl(new Dictionary<string, string>
        {
            ["job"] = "(sweeprunner-coordinator|sweeprunner-workers)",
            ["sweep"] = StandInCluster.SweepId,
            ["model"] = ".*",
            ["__rate_interval"] = "10s",
        });
        List<DashboardQuery> empty = [.. queries];

        await cluster.EventuallyAsync(
            async () =>
            {
                var stillEmpty = new List<DashboardQuery>();
                foreach (var query in empty)
                {
                    if ((await QueryAsync(query)).Count == 0) stillEmpty.Add(query);
                }
                empty = stillEmpty;
                return empty.Count == 0;
            },
            () => $"queries without series:\n{string.Join('\n', empty)}");
    }

    [Fact]
    public async Task The_shipped_rules_run_and_flag_the_collapsed_dimension_alone()
    {
        List<string> alerts = [];
        await cluster.EventuallyAsync(
            async () =>
            {
                alerts = (await cluster.Prometheus.QueryAsync("ALERTS"))
                    .Select(sample => sample!["metric"]!)
                    .Select(labels => $"{labels["alertname"]} trial {labels["trial"]} dim {labels["dim"]}")
                    .ToList();
                return alerts.Count > 0;
            },
            () => "no alert pending or firing");

        Assert.Equal(["LatentDimensionCollapsed trial 2 dim 0"], alerts);
    }

    [Fact]
    public async Task A_query_Prometheus_refuses_throws_with_its_error()
    {
        var error = await Assert.ThrowsAsync<PrometheusApiException>(() => cluster.Prometheus.QueryAsync("sum by (le (up)"));

        Assert.Contains("sum by (le (up)", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad_data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_written_configuration_passes_promtool_and_loads_the_shipped_rules()
    {
        string folder = Directory.CreateTempSubdirectory("sweeprunner-prometheus-config-").FullName;
        try
        {
            string file = Path.Combine(folder, "prometheus.yml");
            cluster.Config.Save(file);

            var result = await Promtool.RunAsync("check", "config", file);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"SUCCESS: {PrometheusFiles.RuleFiles.Length} rule files found", result.Output, StringComparison.Ordinal);
            Assert.Contains("scrape_interval: 1s", File.ReadAllText(file), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<JsonArray> QueryAsync(DashboardQuery query)
    {
        try
        {
            return await cluster.Prometheus.QueryAsync(query.Text);
        }
        catch (PrometheusApiException ex)
        {
            throw new InvalidOperationException($"{query.Location}: {ex.Message}", ex);
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Deploy.Tests.Grafana;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// deploy/ against a real cluster: Prometheus with the shipped configuration and rules scrapes a real coordinator and
/// the worker its service discovery lists after a real sweep; every dashboard query, PromQL through Prometheus and SQL
/// on the store as the read-only role, returns data, and what Prometheus scraped is what the store holds.
/// </summary>
public sealed class ShippedConfigurationTests(LiveCluster cluster) : IClassFixture<LiveCluster>
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
        Assert.Equal(new Uri(cluster.Api, "metrics"), byJob["sweeprunner-coordinator"].ScrapeUrl);
        Assert.Equal(cluster.WorkerMetrics, byJob["sweeprunner-workers"].ScrapeUrl);
        Assert.Equal(LiveCluster.WorkerName, byJob["sweeprunner-workers"].Labels["worker"]);
    }

    [Fact]
    public async Task Every_dashboard_promql_query_returns_series()
    {
        // What Grafana sends with every variable on All and the sweep picked; rate windows of ten 1 s scrapes.
        var queries = DashboardQueries.LoadShipped().PromQl(new Dictionary<string, string>
        {
            ["job"] = "(sweeprunner-coordinator|sweeprunner-workers)",
            ["sweep"] = cluster.SweepId.ToString(),
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

    [Theory]
    [InlineData("test", "total")]
    [InlineData("train", "recon")]
    [InlineData("test", "kl")]
    public async Task Every_dashboard_sql_query_returns_rows_from_the_real_store_to_the_read_only_role(string split, string component)
    {
        await ReadonlyStoreFixture.AssertEveryDashboardQueryReturnsRowsAsync(cluster.ReadonlyDatabase, new Dictionary<string, string>
        {
            ["sweep"] = cluster.SweepId.ToString(),
            ["split"] = split,
            ["component"] = component,
        });
    }

    [Fact]
    public async Task A_scraped_trial_value_is_what_the_store_holds_for_that_trial_and_epoch()
    {
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(cluster.Database, Environment.CurrentDirectory));
        var trial = (await new TrialStore(contexts, TimeProvider.System).ListAsync(new TrialQuery(cluster.SweepId))).Trials.Single(t => t.Number == 2);
        var stored = (await new EpochMetricStore(contexts, TimeProvider.System).ListAsync(trial.Id)).Single(row => row.Epoch == LiveCluster.Epochs && row.Split == MetricSplit.Test);
        string selector = $"sweep=\"{cluster.SweepId}\", trial=\"2\", split=\"test\"";

        double total = 0, dimension = 0, epoch = 0;
        await cluster.EventuallyAsync(
            async () =>
            {
                (total, dimension, epoch) = (
                    await ValueAsync($"sweeprunner_trial_total_loss{{{selector}}}"),
                    await ValueAsync($"sweeprunner_trial_latent_kl_nats{{{selector}, dim=\"1\"}}"),
                    await ValueAsync($"sweeprunner_trial_epoch{{sweep=\"{cluster.SweepId}\", trial=\"2\"}}"));
                return !double.IsNaN(total + dimension + epoch);
            },
            () => "the trial's series are not in Prometheus");

        Assert.Equal(stored.Total, total, 9);
        Assert.Equal(stored.KlPerDimension![1], dimension, 9);
        Assert.Equal(LiveCluster.Epochs, epoch);
    }

    [Fact]
    public async Task The_sweeprunner_families_of_a_real_scrape_pass_promtool_check_metrics()
    {
        foreach (var metrics in new[] { new Uri(cluster.Api, "metrics"), cluster.WorkerMetrics })
        {
            string scrape = await LiveCluster.ScrapeAsync(metrics);
            string families = string.Join('\n', scrape.Split('\n').Where(line => line.StartsWith("sweeprunner_", StringComparison.Ordinal) || line.StartsWith("# HELP sweeprunner_", StringComparison.Ordinal) || line.StartsWith("# TYPE sweeprunner_", StringComparison.Ordinal))) + "\n";

            var result = await Promtool.CheckMetricsAsync(families);

            Assert.Contains("# TYPE sweeprunner_", families, StringComparison.Ordinal);
            Assert.True(result.ExitCode == 0, $"{metrics}: {result.Output}\n{families}");
        }
    }

    [Fact]
    public async Task A_second_worker_on_a_taken_metrics_port_exits_2_naming_the_address()
    {
        using var second = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", cluster.Database, "--name", "worker-taken", "--threads", "1",
            "--metrics-port", cluster.WorkerMetrics.Port.ToString(CultureInfo.InvariantCulture));

        int exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 2, second.Output);
        string address = $"{cluster.WorkerMetrics.Host}:{cluster.WorkerMetrics.Port}";
        Assert.True(second.Output.Contains($"error: Failed to bind to address http://{address}", StringComparison.Ordinal), second.Output);
        // One line says it, none of the hosts' noise about services stopped before they started.
        Assert.DoesNotContain("BackgroundService", second.Output, StringComparison.Ordinal);
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

    /// <summary>The value of the one series <paramref name="promql"/> selects; NaN while it selects none.</summary>
    private async Task<double> ValueAsync(string promql)
    {
        var series = await cluster.Prometheus.QueryAsync(promql);
        if (series.Count == 0) return double.NaN;
        Assert.True(series.Count == 1, $"{promql}: {series.ToJsonString()}");
        return double.Parse((string)series[0]!["value"]![1]!, CultureInfo.InvariantCulture);
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

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.LocalCluster;

/// <summary>
/// The CI check of the local cluster: <c>scripts/cluster.sh up --workers 2</c>, a small sweep submitted to it runs to
/// its end, the coordinator and a worker answer /health and /metrics, Prometheus scrapes the coordinator, and
/// <c>down</c> leaves no process behind.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class LocalClusterSmokeTests
{
    private const string SweepFile = "name: smoke\nmethod: grid\nepochs: 1\ntrain_limit: 200\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 4]\n";
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ScrapePatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Up_runs_a_sweep_serves_health_metrics_and_Prometheus_and_down_leaves_no_process()
    {
        await using var cluster = ClusterScript.Create();
        var up = await cluster.RunAsync("up", "--workers", "2", "--scrape-interval", "1s");
        Assert.True(up.ExitCode == 0, up.Output);
        var api = new Uri(ClusterScript.Printed(up.Output, "api"));
        string tokenFile = ClusterScript.Printed(up.Output, "token file");
        var workerMetrics = new Uri(ClusterScript.Printed(up.Output, "worker-2 metrics"));
        var prometheus = new Uri(ClusterScript.Printed(up.Output, "prometheus"));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile)).Trim());

        var again = await cluster.RunAsync("up", "--workers", "2");
        var status = await cluster.RunAsync("status");

        string sweepFile = Path.Combine(cluster.Folder, "smoke.yaml");
        await File.WriteAllTextAsync(sweepFile, SweepFile);
        string id = await SubmitAsync(sweepFile, api, tokenFile);
        string watched = await WatchAsync(id, api, tokenFile);

        using var coordinatorHealth = await http.GetAsync(new Uri(api, "/health"));
        using var workerHealth = await http.GetAsync(new Uri(workerMetrics, "/health"));
        string coordinatorMetrics = await http.GetStringAsync(new Uri(api, "/metrics"));
        string workerMetricsText = await http.GetStringAsync(workerMetrics);
        string coordinatorUp = await CoordinatorTargetUpAsync(http, prometheus);

        var pids = cluster.PidFiles();
        var down = await cluster.RunAsync("down");

        Assert.True(again.ExitCode == 0 && again.Output.Contains("already up", StringComparison.Ordinal), again.Output);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("completed, 2/2 trials ended", watched, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, coordinatorHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, workerHealth.StatusCode);
        Assert.Contains("sweeprunner_trials_ended_total", coordinatorMetrics, StringComparison.Ordinal);
        Assert.Contains("sweeprunner_workers_connected", coordinatorMetrics, StringComparison.Ordinal);
        Assert.Contains("sweeprunner_worker_slots", workerMetricsText, StringComparison.Ordinal);
        Assert.Equal("1", coordinatorUp);
        Assert.Equal(["coordinator", "postgres", "prometheus", "worker-1", "worker-2"], pids.Keys.Order());
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.All(pids, process => Assert.False(ClusterScript.IsAlive(process.Value), $"{process.Key} (pid {process.Value}) still runs after down"));
        Assert.Empty(cluster.ProcessesNamingFolder());
        Assert.Empty(cluster.PidFiles());
    }

    private static async Task<string> SubmitAsync(string sweepFile, Uri api, string tokenFile)
    {
        using var submit = SweepProcess.Start(new Dictionary<string, string>(), "submit", sweepFile, "--coordinator", api.ToString(), "--token-file", tokenFile);
        int exitCode = await submit.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, submit.Output);
        return SubmittedLine().Match(submit.Output).Groups["id"].Value;
    }

    // `sweep watch` prints one line per event when its output is no terminal, and exits once the sweep has ended.
    private static async Task<string> WatchAsync(string id, Uri api, string tokenFile)
    {
        using var watch = SweepProcess.Start(new Dictionary<string, string>(), "watch", id, "--coordinator", api.ToString(), "--token-file", tokenFile);
        await watch.WaitForExitAsync(SweepTimeout);
        return watch.Output;
    }

    // up{job="sweeprunner-coordinator"} once Prometheus has scraped the coordinator (every second here).
    private static async Task<string> CoordinatorTargetUpAsync(HttpClient http, Uri prometheus)
    {
        var deadline = DateTime.UtcNow + ScrapePatience;
        while (true)
        {
            var answer = JsonNode.Parse(await http.GetStringAsync(new Uri(prometheus, "/api/v1/query?query=" + Uri.EscapeDataString("up{job=\"sweeprunner-coordinator\"}"))));
            if (answer?["data"]?["result"] is JsonArray { Count: > 0 } result) return (string?)result[0]!["value"]![1] ?? "";
            if (DateTime.UtcNow > deadline) return $"no sample within {ScrapePatience}: {answer}";
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    [GeneratedRegex(@"submitted sweep (?<id>[0-9a-f-]+)")]
    private static partial Regex SubmittedLine();
}

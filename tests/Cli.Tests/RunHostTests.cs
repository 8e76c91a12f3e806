using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>sweep run</c> as a process: the REST API it serves while the sweep runs (and after, with <c>--serve</c>), and a
/// terminal without the frameworks' log lines unless <c>--verbose</c> asks for them.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed partial class RunHostTests
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);

    /// <summary>What Orleans, Polly and the hosts print at start unless told to be quiet.</summary>
    // Not "warn:": the product's own warnings show by default (a lease lost on a busy machine, its trial resumed);
    // a framework's would name its category (Orleans., Microsoft.).
    private static readonly string[] FrameworkLines = ["ServerGC", "participant check thread", "Execution attempt", "Orleans.", "Microsoft.", "info:"];

    [Fact]
    public async Task Serve_keeps_the_api_up_on_a_free_port_when_the_default_is_taken_until_stopped()
    {
        using var temp = new TempDirectory();
        // Hold the default port (or find it held already): the API must move to a free one rather than fail.
        using var holder = HoldDefaultPort();

        using var run = SweepProcess.Start(new Dictionary<string, string>(), "run", Examples.Find("quick.yaml"), "--db", temp.File("store.db"), "--serve");
        await run.WaitForOutputAsync("API: ", SweepTimeout);
        var api = new Uri(ApiLine().Match(run.Output).Groups["url"].Value);
        Assert.Equal(IPAddress.Loopback.ToString(), api.Host);
        Assert.NotEqual(5080, api.Port);

        using var http = new HttpClient { BaseAddress = api };
        var sweeps = JsonNode.Parse(await http.GetStringAsync("/api/sweeps"))!.AsArray();
        string id = (string)Assert.Single(sweeps)!["id"]!;

        await run.WaitForOutputAsync("report: ", SweepTimeout);
        // The sweep has ended; --serve keeps answering.
        var detail = JsonNode.Parse(await http.GetStringAsync($"/api/sweeps/{id}"))!;
        Assert.Equal("completed", (string?)detail["sweep"]!["status"]);
        var trials = JsonNode.Parse(await http.GetStringAsync($"/api/sweeps/{id}/trials"))!["trials"]!.AsArray();
        Assert.Equal([1, 2], trials.Select(t => (int)t!["number"]!));
        Assert.All(trials, t => Assert.Equal("completed", (string?)t!["status"]));
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
        await AssertMetricsMatchTheStoreAsync(http, (string)trials[0]!["id"]!);

        Assert.Equal(ExitCodes.Ok, await run.StopAsync(TimeSpan.FromSeconds(30)));
        // Quiet by default: the table and SweepRunner's own lines, none of the frameworks'.
        Assert.All(FrameworkLines, line => Assert.DoesNotContain(line, run.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_runs_started_at_once_both_serve_their_api_without_a_port_given()
    {
        using var temp = new TempDirectory();

        // Both may find the default port free before either binds it: the one that loses the bind moves to a free port.
        using var first = SweepProcess.Start(new Dictionary<string, string>(), "run", Examples.Find("quick.yaml"), "--db", temp.File("first.db"), "--json");
        using var second = SweepProcess.Start(new Dictionary<string, string>(), "run", Examples.Find("quick.yaml"), "--db", temp.File("second.db"), "--json");
        int[] exitCodes = await Task.WhenAll(first.WaitForExitAsync(SweepTimeout), second.WaitForExitAsync(SweepTimeout));

        Assert.True(exitCodes.All(code => code == ExitCodes.Ok), first.Output + second.Output);
        var apis = new[] { first, second }.Select(run => new Uri(JsonApiLine().Match(run.Output).Groups["url"].Value)).ToList();
        Assert.All(apis, api => Assert.Equal(IPAddress.Loopback.ToString(), api.Host));
        Assert.NotEqual(apis[0].Port, apis[1].Port);
    }

    [Fact]
    public async Task Verbose_shows_the_framework_logs_and_json_mode_names_the_api()
    {
        using var temp = new TempDirectory();

        using var run = SweepProcess.Start(new Dictionary<string, string>(), "--verbose", "run", Examples.Find("quick.yaml"), "--db", temp.File("store.db"), "--urls", "http://127.0.0.1:0", "--json");
        int exitCode = await run.WaitForExitAsync(SweepTimeout);

        Assert.True(exitCode == ExitCodes.Ok, run.Output);
        Assert.Contains("info: Orleans.Runtime.Silo: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("ServerGC", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"""api"": ""http://127\.0\.0\.1:\d+""", run.Output);
    }

    /// <summary>A listener on the default API port; null when another process has it already.</summary>
    private static TcpListener? HoldDefaultPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 5080);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
    }

    /// <summary>
    /// The API port's <c>/metrics</c> carries a finished trial's last epoch as stored (its series stay for an hour
    /// after it ends), and the embedded worker's own meters.
    /// </summary>
    private static async Task AssertMetricsMatchTheStoreAsync(HttpClient http, string trialId)
    {
        var epochs = JsonNode.Parse(await http.GetStringAsync($"/api/trials/{trialId}"))!["epochs"]!.AsArray();
        var test = epochs.Last(e => (string?)e!["split"] == "test")!;
        var dimensions = test["kl_per_dimension"]!.AsArray().Select(kl => (double)kl!).ToList();
        string metrics = "";
        // The cluster gauges are sampled every few seconds: the last sample may predate the sweep's end.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !CompletedTwo().IsMatch(metrics) && DateTime.UtcNow < deadline; await Task.Delay(250))
            metrics = await http.GetStringAsync("/metrics");

        Assert.Equal((double)test["total"]!, Sample(metrics, "sweeprunner_trial_total_loss", "split=\"test\"", "trial=\"1\""), 9);
        Assert.Equal((double)test["kl"]!, Sample(metrics, "sweeprunner_trial_kl_nats", "split=\"test\"", "trial=\"1\""), 9);
        for (int dim = 0; dim < dimensions.Count; dim++)
            Assert.Equal(dimensions[dim], Sample(metrics, "sweeprunner_trial_latent_kl_nats", $"dim=\"{dim}\"", "trial=\"1\""), 9);
        Assert.Equal(1, Sample(metrics, "sweeprunner_workers_connected"));
        Assert.Equal(2, Sample(metrics, "sweeprunner_sweep_trials", "status=\"completed\""));
        Assert.Equal(2, Sample(metrics, "sweeprunner_epoch_duration_seconds_count"));
    }

    /// <summary>The value of the one sample of <paramref name="family"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Sample(string metrics, string family, params string[] labels)
    {
        var samples = metrics.Split('\n').Where(line => line.StartsWith(family + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal))).ToList();
        Assert.True(samples.Count == 1, $"{samples.Count} samples of {family} with {string.Join(",", labels)} in:\n{metrics}");
        return double.Parse(samples[0][(samples[0].LastIndexOf('}') + 2)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^sweeprunner_sweep_trials\{[^}]*status="completed"[^}]*\} 2$""", RegexOptions.Multiline)]
    private static partial Regex CompletedTwo();

    [GeneratedRegex(@"^API: (?<url>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApiLine();

    /// <summary>The API's URL in the document of <c>--json</c>.</summary>
    [GeneratedRegex(@"""api"": ""(?<url>http://[^""]+)""")]
    private static partial Regex JsonApiLine();
}

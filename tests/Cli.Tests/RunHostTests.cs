using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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
    private static readonly string[] FrameworkLines = ["ServerGC", "participant check thread", "Execution attempt", "Orleans.", "Microsoft.", "info:", "warn:"];

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

        Assert.Equal(ExitCodes.Ok, await run.StopAsync(TimeSpan.FromSeconds(30)));
        // Quiet by default: the table and SweepRunner's own lines, none of the frameworks'.
        Assert.All(FrameworkLines, line => Assert.DoesNotContain(line, run.Output, StringComparison.Ordinal));
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

    [GeneratedRegex(@"^API: (?<url>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApiLine();
}

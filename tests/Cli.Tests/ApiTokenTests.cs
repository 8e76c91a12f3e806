using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// The API's token from the outside: <c>sweep coordinator</c> refuses every way of listening beyond loopback without
/// one (exit 2), starts with one from a file and then guards changes, reads and metrics; the client commands send it
/// (from <c>--token-file</c>) on every call, and never print it.
/// </summary>
public sealed class ApiTokenTests
{
    private const string Token = "cli-test-token-5e1f0c";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:{0}", "http://0.0.0.0:{0}")]
    [InlineData("Kestrel__Endpoints__Http__Url", "http://0.0.0.0:{0}", "http://0.0.0.0:{0}")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "{0}", "http://*:{0}")]
    public async Task A_coordinator_told_to_listen_beyond_loopback_without_a_token_exits_2(string variable, string value, string named)
    {
        using var temp = new TempDirectory();
        string port = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
        using var coordinator = StartCoordinator(temp, new() { [variable] = string.Format(CultureInfo.InvariantCulture, value, port) });

        int exitCode = await coordinator.WaitForExitAsync(StartTimeout);

        Assert.True(exitCode == ExitCodes.BadInput, coordinator.Output);
        Assert.Contains(
            $"error: the API would listen on {string.Format(CultureInfo.InvariantCulture, named, port)}, which other hosts can reach; set a token (Api:Token or Api:TokenFile, environment Api__Token or Api__TokenFile) or listen on 127.0.0.1",
            coordinator.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("store.db")), "the refused coordinator created its store");
    }

    [Fact]
    public async Task With_a_token_file_the_coordinator_starts_and_guards_changes_reads_and_metrics_and_clients_send_the_token()
    {
        using var temp = new TempDirectory();
        string tokenFile = temp.File("token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        int port = FreePort.Pick();
        using var coordinator = StartCoordinator(temp, new()
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://0.0.0.0:{port}",
            ["Api__TokenFile"] = tokenFile,
            ["Api__RequireTokenForReads"] = "true",
        });
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        string url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        using var post = await http.PostAsync("/api/sweeps", new StringContent("method: grid\nparameters:\n  beta: {value: 1}\n", MediaTypeHeaderValue.Parse("text/yaml")));
        using var metrics = await http.GetAsync("/metrics");
        using var health = await http.GetAsync("/health");
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        using var authorized = await http.SendAsync(scrape);
        var anonymous = await Sweep.RunAsync("status", "--coordinator", url);
        var withFile = await Sweep.RunAsync("status", "--coordinator", url, "--token-file", tokenFile);

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(ExitCodes.BadInput, anonymous.ExitCode);
        Assert.StartsWith("error: 401 Unauthorized: this server needs its token for reads too", anonymous.Error, StringComparison.Ordinal);
        Assert.True(withFile.ExitCode == ExitCodes.Ok, withFile.Error);
        Assert.Equal(0, await coordinator.StopAsync(StartTimeout));
        Assert.DoesNotContain(Token, coordinator.Output + anonymous.Error + anonymous.Output + withFile.Output + withFile.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public async Task An_empty_token_file_exits_2(string text)
    {
        using var temp = new TempDirectory();
        string tokenFile = temp.File("token");
        await File.WriteAllTextAsync(tokenFile, text);

        var result = await Sweep.RunAsync("status", "--coordinator", $"http://127.0.0.1:{FreePort.Pick()}", "--token-file", tokenFile);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: --token-file: {tokenFile} is empty; expected the token", result.Error.Trim());
    }

    [Fact]
    public async Task A_token_and_a_token_file_together_exit_2()
    {
        using var temp = new TempDirectory();
        string tokenFile = temp.File("token");
        await File.WriteAllTextAsync(tokenFile, Token);

        var result = await Sweep.RunAsync("status", "--coordinator", $"http://127.0.0.1:{FreePort.Pick()}", "--token", Token, "--token-file", tokenFile);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("error: --token and --token-file: give one of them", result.Error.Trim());
    }

    private static SweepProcess StartCoordinator(TempDirectory temp, Dictionary<string, string> environment)
    {
        environment["ConnectionStrings__SweepRunner"] = temp.File("store.db");
        foreach (var (key, value) in FreePort.CoordinatorPorts()) environment[key] = value;
        return SweepProcess.Start(environment, "coordinator");
    }
}

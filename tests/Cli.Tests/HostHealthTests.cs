using System.Globalization;
using System.Net;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>/health</c> and <c>/alive</c> of a coordinator (its API port) and a worker (its metrics port) on a real
/// PostgreSQL: ready once joined; while the database is down, not ready (503) naming the store, yet alive; ready again
/// once it is back.
/// </summary>
public sealed class HostHealthTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hosts_are_ready_once_joined_not_ready_naming_the_store_while_postgres_is_down_and_alive_throughout()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        string coordinatorUrl = $"http://127.0.0.1:{FreePort.Pick()}";
        string workerUrl = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = FreePort.CoordinatorPorts();
        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", coordinatorUrl, "--postgres", database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        using var worker = SweepProcess.Start(
            new Dictionary<string, string>(), "worker", "--postgres", database, "--threads", "1", "--metrics-port", new Uri(workerUrl).Port.ToString(CultureInfo.InvariantCulture));
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        foreach (string host in new[] { coordinatorUrl, workerUrl })
            await WaitForAsync(http, host + "/health", HttpStatusCode.OK, "Healthy");

        await postgres.StopAsync();
        foreach (string host in new[] { coordinatorUrl, workerUrl })
        {
            string body = await WaitForAsync(http, host + "/health", HttpStatusCode.ServiceUnavailable, "sweep-store: Unhealthy: the PostgreSQL at");
            Assert.Contains("does not answer", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(host + "/alive"))).StatusCode);
        }

        await postgres.RestartAsync();
        foreach (string host in new[] { coordinatorUrl, workerUrl })
            await WaitForAsync(http, host + "/health", HttpStatusCode.OK, "Healthy");

        Assert.Equal(ExitCodes.Ok, await worker.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
    }

    /// <summary>Asks <paramref name="url"/> until it answers <paramref name="status"/> with <paramref name="text"/> in its body; returns the body.</summary>
    private static async Task<string> WaitForAsync(HttpClient http, string url, HttpStatusCode status, string text)
    {
        var deadline = DateTime.UtcNow + ProbeTimeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url));
                string body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == status && body.Contains(text, StringComparison.Ordinal)) return body;
                last = $"{(int)response.StatusCode} {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} did not answer {(int)status} with '{text}' within {ProbeTimeout}; last: {last}");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SweepRunner.TestSupport;

/// <summary>
/// A throw-away Prometheus (Debian's /usr/bin/prometheus, apt package prometheus): started on a free loopback port
/// with a configuration and storage folder of its own in a temp folder; stopped (SIGTERM to the process it started,
/// then waited for) and its folder deleted on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Program = "/usr/bin/prometheus";

    private const int StartAttempts = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string root;
    private readonly HttpClient http = new();
    private readonly StringBuilder log = new();
    private Process? process;

    private PrometheusServer(string root)
    {
        this.root = root;
    }

    public int Port { get; private set; }

    /// <summary>The server's base address, http://127.0.0.1:PORT/.</summary>
    public Uri Address => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>What Prometheus has logged so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    private string ConfigFile => Path.Combine(root, "prometheus.yml");

    /// <summary>
    /// Starts Prometheus with <paramref name="config"/> and returns once it is ready (/-/ready answers 200). Throws when
    /// Prometheus is not installed (scripts/setup.sh installs it), refuses the configuration, or does not become ready;
    /// a port taken between picking and binding it is retried with another.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(PrometheusConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!File.Exists(Program))
            throw new InvalidOperationException($"Prometheus not found ({Program}); run scripts/setup.sh, which installs the apt package prometheus");

        var server = new PrometheusServer(Directory.CreateTempSubdirectory("sweeprunner-prometheus-").FullName);
        try
        {
            config.Save(server.ConfigFile);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Evaluates <paramref name="promql"/> now (/api/v1/query) and returns data.result: for a vector, its series as
    /// <c>{"metric": {labels}, "value": [time, "value"]}</c>. Throws <see cref="PrometheusApiException"/> with
    /// Prometheus' error when the query is refused.
    /// </summary>
    public async Task<JsonArray> QueryAsync(string promql, CancellationToken cancellationToken = default)
    {
        var data = await GetAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}", $"query {promql}", cancellationToken);
        return data["result"] as JsonArray ?? throw new PrometheusApiException($"query {promql}: no result in Prometheus' answer");
    }

    /// <summary>The active scrape targets (/api/v1/targets), of every job.</summary>
    public async Task<IReadOnlyList<PrometheusTarget>> TargetsAsync(CancellationToken cancellationToken = default)
    {
        var data = await GetAsync("api/v1/targets?state=active", "targets", cancellationToken);
        return (data["activeTargets"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(target => new PrometheusTarget(
                (string?)target["scrapePool"] ?? "",
                new Uri((string?)target["scrapeUrl"] ?? throw new PrometheusApiException("targets: a target without scrapeUrl")),
                (string?)target["health"] ?? "",
                (string?)target["lastError"] ?? "",
                (target["labels"] as JsonObject ?? []).ToDictionary(label => label.Key, label => (string?)label.Value ?? "")))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null) await StopAsync(process);
        http.Dispose();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private async Task<JsonNode> GetAsync(string path, string what, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(Address, path), cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new PrometheusApiException($"{what}: HTTP {(int)response.StatusCode}, not JSON: {body}");
        }
        if ((string?)answer?["status"] != "success")
            throw new PrometheusApiException($"{what}: HTTP {(int)response.StatusCode}, {(string?)answer?["errorType"]}: {(string?)answer?["error"]}");
        return answer!["data"] ?? throw new PrometheusApiException($"{what}: no data in Prometheus' answer");
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort.Pick();
            lock (log) log.Clear();
            process = Launch();
            if (await WaitUntilReadyAsync(process, cancellationToken)) return;

            await StopAsync(process);
            process = null;
            // Another process bound the port between our check and Prometheus' bind: try another one.
            if (attempt < StartAttempts && Log.Contains("address already in use", StringComparison.Ordinal)) continue;
            throw new InvalidOperationException($"Prometheus did not start on port {Port}; its log:\n{Log}");
        }
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add($"--config.file={ConfigFile}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(root, "data")}");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{Port}"));
        var started = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Program}");
        started.OutputDataReceived += (_, line) => Append(line.Data);
        started.ErrorDataReceived += (_, line) => Append(line.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    // Polls /-/ready: true once it answers 200, false when the process exits or the timeout passes first.
    private async Task<bool> WaitUntilReadyAsync(Process started, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline && !started.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "-/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return false;
    }

    // SIGTERM (Prometheus then closes its storage cleanly), killed if it has not exited in time.
    private static async Task StopAsync(Process started)
    {
        using (started)
        {
            if (started.HasExited) return;
            await ChildProcess.ExecuteAsync("kill", [started.Id.ToString(CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await started.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                started.Kill();
                await started.WaitForExitAsync();
            }
        }
    }
}

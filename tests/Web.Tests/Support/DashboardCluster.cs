using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SweepRunner.TestSupport;

namespace SweepRunner.Web.Tests.Support;

/// <summary>
/// What the browser tests share: a throw-away PostgreSQL, <c>sweep coordinator</c> and one <c>sweep worker</c> as real
/// processes, a small real sweep submitted through the API at the start (its trials finish one after another while
/// the tests look), and one headless chromium.
/// </summary>
public sealed class DashboardCluster : IAsyncLifetime
{
    /// <summary>Three MLP trials over β, two epochs on 500 images each: seconds per trial.</summary>
    public const string SweepYaml =
        "name: browser\nmethod: grid\nepochs: 2\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 2, 4]\n  seed:\n    value: 0\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PostgresServer? postgres;
    private SweepProcess? coordinator;
    private SweepProcess? worker;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private Task? sweepFinished;

    public Uri Api { get; private set; } = null!;

    /// <summary>The sweep submitted at the start.</summary>
    public Guid SweepId { get; private set; }

    public IBrowser Browser => browser ?? throw new InvalidOperationException("the cluster did not start");

    /// <summary>The processes' output, for failure messages.</summary>
    public string Output => $"coordinator:\n{coordinator?.Output}\nworker:\n{worker?.Output}";

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        Api = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        var environment = new Dictionary<string, string>(FreePort.CoordinatorPorts())
        {
            // The sweep is marked completed within a second of its last trial, not two.
            ["Coordinator__SweepInterval"] = "00:00:01",
        };
        coordinator = SweepProcess.Start(environment, "coordinator", "--urls", Api.ToString().TrimEnd('/'), "--postgres", database);
        // The browser starts while the coordinator does.
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", database, "--name", "browser-worker", "--threads", "1", "--metrics-port", "0");
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
        SweepId = await SubmitAsync(SweepYaml);
    }

    /// <summary>Submits a sweep through the API; returns its id.</summary>
    public async Task<Guid> SubmitAsync(string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "text/yaml");
        using var response = await Http.PostAsync(new Uri(Api, "api/sweeps?file=browser.yaml"), content);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return Guid.Parse((string)JsonNode.Parse(body)!["sweep_id"]!);
    }

    /// <summary>Waits (once, shared by the tests) until the submitted sweep finished: every trial has its final metrics.</summary>
    public Task SweepFinishedAsync() => sweepFinished ??= WaitForSweepAsync(SweepId, TimeSpan.FromMinutes(4));

    /// <summary>Waits until the API says <paramref name="sweepId"/> finished.</summary>
    public async Task WaitForSweepAsync(Guid sweepId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((bool?)(await GetJsonAsync($"api/sweeps/{sweepId}"))["progress"]!["finished"] != true)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep {sweepId} did not finish within {timeout}:\n{Output}");
            await Task.Delay(500);
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(Api, path))) ?? throw new InvalidDataException($"{path}: null");

    /// <summary>GET <paramref name="path"/> of the API as bytes, with the response's headers.</summary>
    public async Task<(byte[] Body, HttpResponseMessage Response)> GetBytesAsync(string path)
    {
        var response = await Http.GetAsync(new Uri(Api, path));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(), response);
    }

    /// <summary>The trial ids of the fixture's sweep in number order.</summary>
    public async Task<IReadOnlyList<string>> TrialIdsAsync()
    {
        var page = await GetJsonAsync($"api/sweeps/{SweepId}/trials?sort=number&order=asc&limit=1000");
        return [.. page["trials"]!.AsArray().Select(trial => (string)trial!["id"]!)];
    }

    /// <summary>A fresh browser tab (its own context: no cookies shared) on the dashboard's <paramref name="route"/>, e.g. <c>#/sweeps/ID</c>.</summary>
    public async Task<DashboardPage> OpenAsync(string route, ITestOutputHelper output)
    {
        var page = await DashboardPage.CreateAsync(Browser, output);
        await page.GoToAsync(new Uri(Api, "/" + route).ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        foreach (var process in new[] { worker, coordinator }.OfType<SweepProcess>())
        {
            try
            {
                await process.StopAsync(StopTimeout);
            }
            catch (OperationCanceledException)
            {
                // It did not stop in time: Dispose kills it.
            }
            process.Dispose();
        }
        if (postgres is not null) await postgres.DisposeAsync();
    }
}

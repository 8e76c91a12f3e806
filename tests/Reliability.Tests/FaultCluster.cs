using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.TestSupport;

namespace SweepRunner.Reliability.Tests;

/// <summary>
/// A cluster of processes to break: a coordinator on fixed ports (so that it can be started again where it was) and
/// worker processes, on a throw-away PostgreSQL; what the store holds is read straight from it.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly HttpClient Http = new();

    private readonly PostgresServer postgres;
    private readonly Dictionary<string, string> coordinatorEnvironment;
    private readonly List<SweepProcess> workers = [];
    private readonly List<SweepProcess> spareCoordinators = [];

    private FaultCluster(PostgresServer postgres, string database)
    {
        this.postgres = postgres;
        Database = database;
        Api = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        coordinatorEnvironment = new Dictionary<string, string>
        {
            ["Orleans__SiloPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            ["Coordinator__SweepInterval"] = "00:00:01",
        };
    }

    public string Database { get; }

    public Uri Api { get; }

    public SweepProcess? Coordinator { get; private set; }

    public IReadOnlyList<SweepProcess> Workers => workers;

    public string Output => $"coordinator:\n{Coordinator?.Output}\n"
        + string.Concat(spareCoordinators.Select((spare, index) => $"spare coordinator {index + 1}:\n{spare.Output}\n"))
        + string.Join('\n', workers.Select((worker, index) => $"worker {index + 1}:\n{worker.Output}"));

    public static async Task<FaultCluster> StartAsync()
    {
        var postgres = await PostgresServer.StartAsync();
        return new FaultCluster(postgres, await postgres.CreateDatabaseAsync() + ";Pooling=false");
    }

    public async Task StartCoordinatorAsync()
    {
        Coordinator?.Dispose();
        Coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", Api.ToString().TrimEnd('/'), "--postgres", Database);
        await Coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
    }

    /// <summary>
    /// Another coordinator of the same cluster (same store and cluster id; silo, gateway and API ports of its own, the
    /// API at <paramref name="api"/>): a hot spare beside <see cref="Coordinator"/>.
    /// </summary>
    public async Task<SweepProcess> StartSpareCoordinatorAsync(Uri api)
    {
        var environment = new Dictionary<string, string>(coordinatorEnvironment)
        {
            ["Orleans__SiloPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
        };
        var spare = SweepProcess.Start(environment, "coordinator", "--urls", api.ToString().TrimEnd('/'), "--postgres", Database);
        spareCoordinators.Add(spare);
        await spare.WaitForOutputAsync("coordinator: API on", StartTimeout);
        return spare;
    }

    public async Task StartWorkerAsync(string name)
    {
        var worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", Database, "--name", name, "--threads", "1", "--metrics-port", "0");
        workers.Add(worker);
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
    }

    public async Task<Guid> SubmitAsync(string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "text/yaml");
        using var response = await Http.PostAsync(new Uri(Api, "api/sweeps?file=fault.yaml"), content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["sweep_id"]!);
    }

    /// <summary>Waits until the store says the sweep completed.</summary>
    public async Task WaitForCompletionAsync(Guid sweepId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await SweepStatusAsync(sweepId) != SweepStatus.Completed)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep {sweepId} did not complete within {timeout}:\n{Output}");
            await Task.Delay(500);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds of the store; returns when it did.</summary>
    public async Task<DateTime> WaitForAsync(Func<SweepDbContext, Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = Contexts().CreateDbContext())
            {
                if (await condition(db)) return DateTime.UtcNow;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout}:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the coordinator's <c>/metrics</c> has a match of <paramref name="sample"/>; returns when it did.</summary>
    public async Task<DateTime> WaitForMetricAsync(Regex sample, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!sample.IsMatch(await Http.GetStringAsync(new Uri(Api, "metrics"))))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the coordinator's metrics have no match of {sample} within {timeout}:\n{Output}");
            await Task.Delay(200);
        }
        return DateTime.UtcNow;
    }

    public SweepDbContextFactory Contexts() => new(StorageConnection.Parse(Database, Environment.CurrentDirectory));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers) worker.Dispose();
        foreach (var spare in spareCoordinators) spare.Dispose();
        Coordinator?.Dispose();
        await postgres.DisposeAsync();
    }

    private async Task<SweepStatus> SweepStatusAsync(Guid sweepId)
    {
        await using var db = Contexts().CreateDbContext();
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Status).SingleAsync();
    }
}

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
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new();

    private readonly PostgresServer postgres;
    private readonly Dictionary<string, string> coordinatorEnvironment;
    private readonly List<SweepProcess> workers = [];
    private readonly HashSet<SweepProcess> killed = [];
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

    /// <summary>Starts a worker (one slot, one thread) and waits until it joined the cluster.</summary>
    public async Task<SweepProcess> StartWorkerAsync(string name)
    {
        var worker = LaunchWorker(name);
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
        return worker;
    }

    /// <summary>Starts a worker (one slot, one thread) without waiting for it: it may have no cluster or store to join yet.</summary>
    public SweepProcess LaunchWorker(string name)
    {
        var worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", Database, "--name", name, "--threads", "1", "--metrics-port", "0");
        workers.Add(worker);
        return worker;
    }

    /// <summary>Kills <paramref name="process"/> (a worker or a coordinator) with SIGKILL; it no longer counts among those that must be alive and stop.</summary>
    public void Kill(SweepProcess process)
    {
        killed.Add(process);
        process.Kill();
    }

    /// <summary>The workers the test did not kill.</summary>
    public IEnumerable<SweepProcess> LiveWorkers => workers.Where(worker => !killed.Contains(worker));

    /// <summary>Stops PostgreSQL as an administrator would (<c>pg_ctl stop -m fast</c>); its data stays.</summary>
    public Task StopPostgresAsync() => postgres.StopAsync();

    /// <summary>Starts PostgreSQL again on the same data and port.</summary>
    public Task StartPostgresAsync() => postgres.RestartAsync();

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

    /// <summary>Waits until <paramref name="query"/> of the store finds a value; returns it.</summary>
    public async Task<T> FindAsync<T>(Func<SweepDbContext, Task<T?>> query, TimeSpan timeout, string what)
        where T : struct
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = Contexts().CreateDbContext())
            {
                if (await query(db) is { } found) return found;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout}:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>The sum of the coordinator's samples of <paramref name="metric"/> (a counter's value over its labels).</summary>
    public async Task<double> MetricAsync(string metric)
    {
        var sample = new Regex($@"^{Regex.Escape(metric)}(?:\{{[^}}]*\}})? (\S+)$", RegexOptions.Multiline);
        var exposition = await Http.GetStringAsync(new Uri(Api, "metrics"));
        return sample.Matches(exposition).Sum(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until the coordinator's <paramref name="metric"/>, summed over its labels, is above <paramref name="value"/>; returns when it was.</summary>
    public async Task<DateTime> WaitForMetricAboveAsync(string metric, double value, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await MetricAsync(metric) <= value)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the coordinator's {metric} is not above {value} within {timeout}:\n{Output}");
            await Task.Delay(200);
        }
        return DateTime.UtcNow;
    }

    /// <summary>
    /// Stops the coordinators and the workers still alive as a service manager would (SIGTERM) and returns each one's
    /// exit code, by name.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> StopAsync()
    {
        var exitCodes = new Dictionary<string, int>();
        foreach (var (worker, index) in workers.Select((worker, index) => (worker, index)).Where(pair => !killed.Contains(pair.worker)))
            exitCodes[$"worker {index + 1}"] = await worker.StopAsync(StopTimeout);
        foreach (var (spare, index) in spareCoordinators.Select((spare, index) => (spare, index)).Where(pair => !killed.Contains(pair.spare)))
            exitCodes[$"spare coordinator {index + 1}"] = await spare.StopAsync(StopTimeout);
        if (Coordinator is not null && !killed.Contains(Coordinator)) exitCodes["coordinator"] = await Coordinator.StopAsync(StopTimeout);
        return exitCodes;
    }

    /// <summary>
    /// The processes of this machine whose command line names this cluster's database (its coordinators and workers,
    /// whoever started them): none once the cluster stopped, or one was left behind.
    /// </summary>
    public IReadOnlyList<string> ProcessesLeft() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(folder => int.TryParse(Path.GetFileName(folder), out _))
            .Select(folder => (Pid: Path.GetFileName(folder), CommandLine: ReadCommandLine(folder)))
            .Where(process => process.CommandLine.Contains(Database, StringComparison.Ordinal))
            .Select(process => $"{process.Pid}: {process.CommandLine}")];

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

    private static string ReadCommandLine(string processFolder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processFolder, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ""; // The process ended while the table was read.
        }
    }

    private async Task<SweepStatus> SweepStatusAsync(Guid sweepId)
    {
        await using var db = Contexts().CreateDbContext();
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Status).SingleAsync();
    }
}

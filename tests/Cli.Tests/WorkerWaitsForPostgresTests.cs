using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>sweep worker</c> started before PostgreSQL: it waits for the server, one line per attempt, instead of exiting;
/// a server that answers and refuses the login is configuration, and exits at once.
/// </summary>
public sealed class WorkerWaitsForPostgresTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task A_worker_started_before_postgres_waits_for_it_and_joins_the_cluster_once_it_and_the_coordinator_are_up()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        await postgres.StopAsync();

        using var worker = StartWorker(database);
        await worker.WaitForOutputAsync($"PostgreSQL at 127.0.0.1:{postgres.Port}", StartTimeout);
        await worker.WaitForOutputAsync("not reachable", StartTimeout);
        await worker.WaitForOutputAsync("trying again in", StartTimeout);
        await postgres.RestartAsync();

        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = FreePort.CoordinatorPorts();
        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", url, "--postgres", database);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);

        Assert.Equal(ExitCodes.Ok, await worker.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
    }

    [Fact]
    public async Task A_worker_waiting_for_postgres_stops_on_a_signal_with_the_exit_code_of_a_cancelled_command()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        await postgres.StopAsync();

        using var worker = StartWorker(database);
        await worker.WaitForOutputAsync("not reachable", StartTimeout);

        Assert.Equal(ExitCodes.Cancelled, await worker.StopAsync(StopTimeout));
    }

    [Fact]
    public async Task A_worker_whose_login_the_server_refuses_exits_2_at_once()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = (await postgres.CreateDatabaseAsync()).Replace($"Username={PostgresServer.User}", "Username=nobody", StringComparison.Ordinal);

        using var worker = StartWorker(database);

        Assert.Equal(ExitCodes.BadInput, await worker.WaitForExitAsync(StartTimeout));
        Assert.Contains("role \"nobody\" does not exist", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("trying again", worker.Output, StringComparison.Ordinal);
    }

    private static SweepProcess StartWorker(string database) =>
        SweepProcess.Start(NoEnvironment, "worker", "--postgres", database, "--threads", "1", "--metrics-port", "0");
}

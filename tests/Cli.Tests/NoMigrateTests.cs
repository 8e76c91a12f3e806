using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// Hosts that leave the schema to the deployment's <c>sweep db migrate</c> (<c>--no-migrate</c>, <c>Storage__Migrate=false</c>):
/// on a fresh database they apply nothing and wait, serving no health yet, and start once the step has run.
/// </summary>
public sealed class NoMigrateTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SlowJoinAndMargin = Commands.WorkerStartup.SlowJoin + TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Hosts_without_migration_apply_nothing_and_wait_for_sweep_db_migrate_then_start()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = FreePort.CoordinatorPorts();
        var workerEnvironment = new Dictionary<string, string> { ["Storage__Migrate"] = "false" };

        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--no-migrate", "--urls", url, "--postgres", database);
        using var worker = SweepProcess.Start(workerEnvironment, "worker", "--postgres", database, "--threads", "1", "--metrics-port", "0");
        const string waiting = "waiting for the sweep store's schema:";
        await coordinator.WaitForOutputAsync(waiting, StartTimeout);
        await worker.WaitForOutputAsync(waiting, StartTimeout);
        await coordinator.WaitForOutputAsync("migrations pending in the PostgreSQL at", StartTimeout);
        await worker.WaitForOutputAsync("run `sweep db migrate --orleans-clustering`", StartTimeout);

        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
        using (var http = new HttpClient())
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url + "/health")));
        Assert.DoesNotContain("coordinator: API on", coordinator.Output, StringComparison.Ordinal);
        // Longer than a worker may take to join before it warns that it is still joining: waiting for the schema is
        // not joining, and the waiting lines already say why.
        await Task.Delay(SlowJoinAndMargin);

        var migrated = await Sweep.RunAsync("db", "migrate", "--orleans-clustering", "--connection", database);
        Assert.True(migrated.ExitCode == ExitCodes.Ok, migrated.Error);

        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
        Assert.DoesNotContain("still joining", worker.Output, StringComparison.Ordinal);
        Assert.NotEmpty(await PostgresFixture.AppliedMigrationsAsync(database));
        Assert.Equal(ExitCodes.Ok, await worker.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
    }

    [Fact]
    public async Task A_host_told_to_migrate_neither_true_nor_false_exits_2()
    {
        var environment = new Dictionary<string, string> { ["Storage__Migrate"] = "maybe" };
        // Refused while the host is composed, before any connection: the server need not exist.
        using var coordinator = SweepProcess.Start(environment, "coordinator", "--postgres", "Host=127.0.0.1;Port=1;Database=none");

        Assert.Equal(ExitCodes.BadInput, await coordinator.WaitForExitAsync(StartTimeout));
        Assert.Contains("Storage:Migrate (Storage__Migrate) must be true or false, got 'maybe'", coordinator.Output, StringComparison.Ordinal);
    }
}

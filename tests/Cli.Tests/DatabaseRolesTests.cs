using System.Globalization;
using System.Text.Json.Nodes;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// The two database roles of a deployment, on a real PostgreSQL: the owner role migrates (<c>sweep db migrate
/// --orleans-clustering</c>) and applies the shipped deploy/sql/runtime-role.sql; a coordinator and a worker logged in
/// as the runtime role, with <c>--no-migrate</c>, train a sweep; the runtime role cannot create a table.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class DatabaseRolesTests
{
    private const string Owner = "sweeprunner";
    private const string Runtime = "sweeprunner_app";
    private const string Database = "sweeprunner";
    private const string OneTrial = "name: roles\nmethod: grid\nepochs: 1\ntrain_limit: 200\nparameters:\n  model:\n    value: mlp\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hosts_logged_in_as_the_runtime_role_train_a_sweep_that_the_owner_role_migrated_and_cannot_create_a_table()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string binaries = PostgresBinaries.Find();
        string port = postgres.Port.ToString(CultureInfo.InvariantCulture);
        string[] server = ["-h", "127.0.0.1", "-p", port];
        await ChildProcess.RunAsync(Path.Combine(binaries, "createuser"), [.. server, "-U", PostgresServer.User, Owner]);
        await ChildProcess.RunAsync(Path.Combine(binaries, "createuser"), [.. server, "-U", PostgresServer.User, Runtime]);
        await ChildProcess.RunAsync(Path.Combine(binaries, "createdb"), [.. server, "-U", PostgresServer.User, "-O", Owner, Database]);
        string ownerConnection = $"Host=127.0.0.1;Port={port};Username={Owner};Database={Database}";
        string runtimeConnection = $"Host=127.0.0.1;Port={port};Username={Runtime};Database={Database}";

        var migrated = await Sweep.RunAsync("db", "migrate", "--orleans-clustering", "--connection", ownerConnection);
        Assert.True(migrated.ExitCode == ExitCodes.Ok, migrated.Error);
        await ChildProcess.RunAsync(
            Path.Combine(binaries, "psql"),
            [.. server, "-U", Owner, "-d", Database, "-v", "ON_ERROR_STOP=1", "-v", $"app_role={Runtime}", "-f", RepositoryFiles.Find("deploy/sql/runtime-role.sql")]);

        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var coordinatorEnvironment = new Dictionary<string, string>(FreePort.CoordinatorPorts())
        {
            ["ConnectionStrings__SweepRunner"] = runtimeConnection,
            ["Coordinator__SweepInterval"] = "00:00:01",
        };
        var workerEnvironment = new Dictionary<string, string> { ["ConnectionStrings__SweepRunner"] = runtimeConnection };
        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--no-migrate", "--urls", url);
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        using var worker = SweepProcess.Start(workerEnvironment, "worker", "--no-migrate", "--name", "runtime", "--threads", "1", "--metrics-port", "0");
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);

        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("roles.yaml"), OneTrial);
        var submitted = await Sweep.RunAsync("submit", temp.File("roles.yaml"), "--coordinator", url, "--json");
        Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.Error);
        string id = (string)JsonNode.Parse(submitted.Output)!["sweep_id"]!;
        using var timeout = new CancellationTokenSource(SweepTimeout);
        var watched = await Sweep.RunAsync(timeout.Token, "watch", id, "--coordinator", url, "--json");
        Assert.True(watched.ExitCode == ExitCodes.Ok, $"{watched.Error}\ncoordinator:\n{coordinator.Output}\nworker:\n{worker.Output}");

        var store = new TrialStore(new SweepDbContextFactory(StorageConnection.Parse(ownerConnection, temp.Path)), TimeProvider.System);
        var trial = Assert.Single((await store.ListAsync(new TrialQuery(Guid.Parse(id)))).Trials);
        Assert.Equal((TrialStatus.Completed, "runtime/slot-1"), (trial.Status, trial.Worker));

        var created = await ChildProcess.ExecuteAsync(
            Path.Combine(binaries, "psql"), [.. server, "-U", Runtime, "-d", Database, "-v", "ON_ERROR_STOP=1", "-c", "CREATE TABLE probe (id integer)"]);
        Assert.NotEqual(0, created.ExitCode);
        Assert.Contains("permission denied for schema public", created.Output, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, await worker.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
    }
}

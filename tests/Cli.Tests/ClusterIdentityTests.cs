using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage;
using SweepRunner.Storage.Clusters;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// The store knows its cluster and its coordinators' version: a coordinator configured for another cluster, one older
/// than the cluster's coordinators, and a worker of an incompatible version exit 2 naming both sides, before joining.
/// </summary>
public sealed class ClusterIdentityTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_coordinator_configured_for_another_cluster_than_the_stores_exits_2()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        using (var first = StartCoordinator(database, "a"))
        {
            await first.WaitForOutputAsync("coordinator: API on", StartTimeout);
            Assert.Equal(ExitCodes.Ok, await first.StopAsync(StopTimeout));
        }

        using var other = StartCoordinator(database, "b");

        Assert.Equal(ExitCodes.BadInput, await other.WaitForExitAsync(StartTimeout));
        Assert.Contains("error: this database belongs to cluster 'a'; this coordinator is configured for cluster 'b' (Orleans__ClusterId)", other.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("coordinator: API on", other.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_or_an_older_coordinator_of_a_store_whose_coordinators_are_newer_exits_2_naming_both_versions()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        // As a coordinator of a later release would leave the store.
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(database, Environment.CurrentDirectory));
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        await new ClusterRegistry(contexts, TimeProvider.System).JoinAsCoordinatorAsync(ClusterIdentity.DefaultClusterId, ProductVersion.Parse("9.1.0")!);

        using var worker = SweepProcess.Start(new Dictionary<string, string>(), "worker", "--postgres", database, "--threads", "1", "--metrics-port", "0");
        using var coordinator = StartCoordinator(database, ClusterIdentity.DefaultClusterId);

        Assert.Equal(ExitCodes.BadInput, await worker.WaitForExitAsync(StartTimeout));
        Assert.Contains($"error: this worker is SweepRunner {ProductVersion.Current}, but the cluster's coordinator is SweepRunner 9.1.0", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("trying again", worker.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, await coordinator.WaitForExitAsync(StartTimeout));
        Assert.Contains($"error: this coordinator is SweepRunner {ProductVersion.Current}, older than the cluster's coordinators (SweepRunner 9.1.0)", coordinator.Output, StringComparison.Ordinal);
    }

    private static SweepProcess StartCoordinator(string database, string clusterId) =>
        SweepProcess.Start(
            new Dictionary<string, string>(FreePort.CoordinatorPorts()) { ["Orleans__ClusterId"] = clusterId },
            "coordinator", "--urls", $"http://127.0.0.1:{FreePort.Pick()}", "--postgres", database);
}

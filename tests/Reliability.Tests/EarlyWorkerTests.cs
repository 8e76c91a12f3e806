using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>Workers started before PostgreSQL and the coordinator: they wait for both, then train the sweep.</summary>
[Collection(FaultTests.Name)]
public sealed class EarlyWorkerTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Workers_started_before_postgres_and_the_coordinator_join_once_both_are_up_and_complete_the_sweep()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StopPostgresAsync();
        var workers = new[] { cluster.LaunchWorker("worker-a"), cluster.LaunchWorker("worker-b") };
        foreach (var worker in workers) await worker.WaitForOutputAsync("trying again in", WaitTimeout);

        await cluster.StartPostgresAsync();
        var postgresAt = DateTime.UtcNow;
        await cluster.StartCoordinatorAsync();
        var coordinatorAt = DateTime.UtcNow;
        foreach (var worker in workers) await worker.WaitForOutputAsync("joined the cluster", FaultTests.RecoveryBound);
        var joinedAt = DateTime.UtcNow;
        var sweepId = await cluster.SubmitAsync(FaultTests.MlpSweep("early-worker", Trials, Epochs));
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));

        output.WriteLine($"PostgreSQL up → coordinator up: {(coordinatorAt - postgresAt).TotalSeconds:F1} s; coordinator up → both workers joined: {(joinedAt - coordinatorAt).TotalSeconds:F1} s");
        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, Trials, Epochs);
    }
}

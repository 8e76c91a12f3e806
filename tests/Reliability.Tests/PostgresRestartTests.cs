using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>PostgreSQL stopped mid-sweep for 15 s, longer than a lease, and started again: the sweep goes on where it was.</summary>
[Collection(FaultTests.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;
    private const string EpochsReported = "sweeprunner_epochs_reported_total";

    [Fact]
    public async Task Postgres_stopped_for_15_s_mid_sweep_leaves_every_trial_completed_once_with_every_epoch()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(FaultTests.MlpSweep("postgres-restart", Trials, Epochs));
        await cluster.WaitForAsync(db => db.EpochMetrics.AnyAsync(), TimeSpan.FromMinutes(2), "a first epoch stored");

        await cluster.StopPostgresAsync();
        var stoppedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(15));
        await cluster.StartPostgresAsync();
        var restartedAt = DateTime.UtcNow;
        // Progress after the restart: an epoch row stored that was not there, and an epoch reported to the coordinator.
        int rowsAtRestart;
        await using (var db = cluster.Contexts().CreateDbContext())
            rowsAtRestart = await db.EpochMetrics.CountAsync();
        double reportedAtRestart = await cluster.MetricAsync(EpochsReported);
        var storedAt = await cluster.WaitForAsync(async db => await db.EpochMetrics.CountAsync() > rowsAtRestart, FaultTests.RecoveryBound, "an epoch stored after the restart");
        var reportedAt = await cluster.WaitForMetricAboveAsync(EpochsReported, reportedAtRestart, FaultTests.RecoveryBound);
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));

        output.WriteLine($"stopped for {(restartedAt - stoppedAt).TotalSeconds:F1} s; restart → epoch stored: {(storedAt - restartedAt).TotalSeconds:F1} s, → epoch reported: {(reportedAt - restartedAt).TotalSeconds:F1} s");
        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, Trials, Epochs);
    }
}

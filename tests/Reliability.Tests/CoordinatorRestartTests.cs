using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>The coordinator killed (SIGKILL) mid-sweep and started again: the workers keep their trials and nothing is lost.</summary>
[Collection(FaultTests.Name)]
public sealed class CoordinatorRestartTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;

    /// <summary>After 5 s the workers still hold their leases; after 90 s, longer than a lease, they have given their trials up.</summary>
    [Theory]
    [InlineData(5)]
    [InlineData(90)]
    public async Task A_coordinator_killed_and_back_after_a_pause_leaves_every_trial_completed_once_with_every_epoch(int pauseSeconds)
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(FaultTests.MlpSweep("restart", Trials, Epochs));
        // Mid-sweep: both workers training, an epoch stored.
        await cluster.WaitForAsync(db => db.EpochMetrics.AnyAsync(), TimeSpan.FromMinutes(2), "a first epoch stored");

        cluster.Coordinator!.Kill();
        var killedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(pauseSeconds));
        await cluster.StartCoordinatorAsync();
        var restartedAt = DateTime.UtcNow;
        // Progress after the restart: an epoch reported to the new coordinator, whose counter starts at 0 (the workers'
        // own writes to the store would not show that the coordinator is back in the loop).
        // Waited for beyond the bound, so that a failure says how long the recovery took.
        var progressAt = await cluster.WaitForMetricAsync(new Regex("""^sweeprunner_epochs_reported_total\{[^}]*\} [1-9]""", RegexOptions.Multiline), 4 * FaultTests.RecoveryBound);
        var recovery = progressAt - restartedAt;
        output.WriteLine($"kill → restart: {(restartedAt - killedAt).TotalSeconds:F1} s; restart → sweep progressing: {recovery.TotalSeconds:F1} s");
        Assert.True(recovery <= FaultTests.RecoveryBound, $"restart → sweep progressing: {recovery.TotalSeconds:F1} s\n{cluster.Output}");
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));

        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, Trials, Epochs);
    }
}

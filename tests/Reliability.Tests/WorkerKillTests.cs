using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Records;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>A worker killed (SIGKILL) mid-epoch: its trial's lease expires, the other worker resumes it from its checkpoint.</summary>
[Collection(FaultTests.Name)]
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;

    [Fact]
    public async Task A_worker_killed_mid_epoch_has_its_trial_resumed_by_the_other_worker_to_the_losses_of_an_uninterrupted_run()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        var workerA = await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(FaultTests.MlpSweep("worker-kill", Trials, Epochs));
        // A trial on worker A with an epoch stored and two still to train: A is in the middle of one when it dies.
        var victim = await cluster.FindAsync(
            db => db.Trials
                .Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Running && t.LeaseOwner!.StartsWith("worker-a/"))
                .Select(t => new { t.Id, Stored = db.EpochMetrics.Count(m => m.TrialId == t.Id && m.Split == MetricSplit.Test) })
                .Where(t => t.Stored >= 1 && t.Stored <= Epochs - 2)
                .Select(t => (Guid?)t.Id)
                .FirstOrDefaultAsync(),
            TimeSpan.FromMinutes(2),
            "a trial on worker A with an epoch stored");

        cluster.Kill(workerA);
        var killedAt = DateTime.UtcNow;
        // The trial goes back in the queue when its lease expires, and worker B leases it once its own trial is done:
        // the wait includes the rest of B's trial, which a machine busy with other tests can stretch past one bound.
        var resumedAt = await cluster.WaitForAsync(
            db => db.Trials.AnyAsync(t => t.Id == victim && t.Worker!.StartsWith("worker-b/")), 2 * FaultTests.RecoveryBound, "the killed worker's trial on worker B");
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));

        output.WriteLine($"kill → trial running again on the other worker: {(resumedAt - killedAt).TotalSeconds:F1} s");
        await using (var db = cluster.Contexts().CreateDbContext())
            Assert.Equal(2, await db.Trials.Where(t => t.Id == victim).Select(t => t.Attempt).SingleAsync());
        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, Trials, Epochs);
    }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Tests;

/// <summary>After each epoch report the sweep grain leaves only the checkpoints its sweep keeps, and always the latest.</summary>
public sealed class CheckpointRetentionTests
{
    private const string OneTrial = "method: grid\nparameters:\n  beta:\n    value: 1\n";

    // Epoch 2 is the best by the test loss (minimized), epoch 4 the latest.
    private static readonly double[] TestLosses = [150, 120, 130, 140];

    private static readonly EpochLosses AnyTrain = new(150, 140, 10);

    [Theory]
    [InlineData("checkpoints: {keep: latest}\n", new[] { 4 })]
    [InlineData("checkpoints: {keep: best}\n", new[] { 2, 4 })]
    [InlineData("checkpoints: {keep: all}\n", new[] { 1, 2, 3, 4 })]
    [InlineData("", new[] { 2, 4 })]
    [InlineData("metric: {name: test.total, goal: maximize}\ncheckpoints: {keep: best}\n", new[] { 1, 4 })]
    [InlineData("metric: {name: iwae_nll}\ncheckpoints: {keep: best}\n", new[] { 4 })]
    public async Task Only_the_kept_checkpoints_remain_after_the_epoch_reports(string retention, int[] kept)
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(OneTrial + retention);
        var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;

        await ReportEpochsAsync(sweeps, sweeps.Sweep(snapshot.SweepId), lease, TestLosses.Length);

        Assert.Equal(kept, await StoredEpochsAsync(sweeps, lease.TrialId));
    }

    [Fact]
    public async Task A_trial_whose_lease_was_lost_resumes_from_its_latest_checkpoint_and_its_new_best_replaces_the_old()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(OneTrial + "epochs: 6\ncheckpoints: {keep: best}\n");
        var grain = sweeps.Sweep(snapshot.SweepId);
        var first = (await sweeps.Scheduler.LeaseAsync("lost-worker"))!;
        await ReportEpochsAsync(sweeps, grain, first, TestLosses.Length);

        sweeps.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await sweeps.Scheduler.ExpireLeasesAsync());
        var second = (await sweeps.Scheduler.LeaseAsync("next-worker"))!;

        // What the next worker resumes from: the latest, with its bytes.
        var resumeFrom = await sweeps.Checkpoints.GetAsync(second.TrialId);
        Assert.Equal((first.TrialId, 2, 4, (byte)4), (second.TrialId, second.Attempt, resumeFrom?.Epoch, resumeFrom?.Bytes[0]));
        await StoreAndReportAsync(sweeps, grain, second, epoch: 5, testLoss: 110);
        Assert.Equal(new[] { 5 }, await StoredEpochsAsync(sweeps, second.TrialId));
    }

    private static async Task ReportEpochsAsync(SweepCluster sweeps, ISweepGrain grain, TrialLease lease, int epochs)
    {
        for (int epoch = 1; epoch <= epochs; epoch++) await StoreAndReportAsync(sweeps, grain, lease, epoch, TestLosses[epoch - 1]);
    }

    /// <summary>What a worker slot does after an epoch: the checkpoint first, then the report.</summary>
    private static async Task StoreAndReportAsync(SweepCluster sweeps, ISweepGrain grain, TrialLease lease, int epoch, double testLoss)
    {
        await sweeps.Checkpoints.PutAsync(lease.TrialId, lease.LeaseId, epoch, [(byte)epoch]);
        var verdict = await grain.ReportEpochAsync(new EpochResult(lease.TrialId, lease.LeaseId, epoch, AnyTrain, new(testLoss, testLoss - 5, 5)));
        Assert.Equal(EpochDecision.Continue, verdict.Decision);
    }

    private static async Task<int[]> StoredEpochsAsync(SweepCluster sweeps, Guid trialId)
    {
        await using var db = sweeps.DbContext();
        return await db.Checkpoints.Where(c => c.TrialId == trialId).OrderBy(c => c.Epoch).Select(c => c.Epoch).ToArrayAsync();
    }
}

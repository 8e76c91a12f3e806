using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Reliability.Tests;

/// <summary>
/// What every fault test checks once its sweep has ended: the workers it did not kill still run, and every process
/// stops on SIGTERM with none left behind; every trial completed once (but those meant to diverge, which failed for
/// that), with each epoch row of each split stored once; and the losses, epoch by epoch and final, of each trial resumed
/// from its checkpoint (a second attempt or later) are those of an uninterrupted run of its configuration. The first
/// completed trial is compared too, resumed or not, so that the comparison always runs; the others are left out, as a
/// reference run costs about 10 s.
/// </summary>
public static class FaultTestChecks
{
    /// <param name="diverged">Numbers of the trials whose configuration makes the loss NaN.</param>
    public static async Task AssertSweepSurvivedAsync(FaultCluster cluster, Guid sweepId, int trials, int epochs, params int[] diverged)
    {
        Assert.All(cluster.LiveWorkers, worker => Assert.False(worker.HasExited, $"a worker exited:\n{cluster.Output}"));
        var output = cluster.Output;
        var exitCodes = await cluster.StopAsync();
        Assert.All(exitCodes, process => Assert.True(process.Value == 0, $"{process.Key} exited with {process.Value} on SIGTERM:\n{output}"));
        Assert.Empty(cluster.ProcessesLeft());

        await using var db = cluster.Contexts().CreateDbContext();
        var stored = await db.Trials.Where(t => t.SweepId == sweepId).OrderBy(t => t.Number).ToListAsync();
        var ids = stored.Select(t => t.Id).ToList();
        var rows = await db.EpochMetrics.Where(m => ids.Contains(m.TrialId)).ToListAsync();
        Assert.Equal(trials, stored.Count);
        var compared = false;
        foreach (var trial in stored)
        {
            var trialRows = rows.Where(row => row.TrialId == trial.Id).ToList();
            Assert.Equal(trialRows.Count, trialRows.DistinctBy(row => (row.Epoch, row.Split)).Count());
            if (diverged.Contains(trial.Number))
            {
                Assert.True((trial.Status, trial.FailureClass) == (TrialStatus.Failed, FailureClass.Diverged), $"trial {trial.Number}: {trial.Status} ({trial.FailureClass}), not failed as diverged");
                Assert.Contains("diverged: loss is", trial.FailureReason, StringComparison.Ordinal);
                continue;
            }
            Assert.True(trial.Status == TrialStatus.Completed, $"trial {trial.Number}: {trial.Status} ({trial.FailureReason})\n{output}");
            Assert.Equal(
                Enumerable.Range(1, epochs).SelectMany(epoch => new[] { (epoch, MetricSplit.Train), (epoch, MetricSplit.Test) }).Order(),
                trialRows.Select(row => (row.Epoch, row.Split)).Order());
            if (trial.Attempt > 1 || !compared) await AssertLossesOfUninterruptedRunAsync(trial, trialRows);
            compared = true;
        }
    }

    /// <summary>Compared exactly: PostgreSQL's double precision and metrics.json both keep every bit.</summary>
    private static async Task AssertLossesOfUninterruptedRunAsync(TrialRecord trial, List<EpochMetricRecord> rows)
    {
        var reference = await ReferenceRun.OfAsync(trial.ConfigJson);
        Assert.Equal(reference.Train, Losses(rows, MetricSplit.Train));
        Assert.Equal(reference.Test, Losses(rows, MetricSplit.Test));
        Assert.Equal(reference.Test[^1], new ReferenceLosses(trial.TestTotal!.Value, trial.TestRecon!.Value, trial.TestKl!.Value));
        Assert.Equal(reference.IwaeNll, trial.IwaeNll);
    }

    private static List<ReferenceLosses> Losses(List<EpochMetricRecord> rows, MetricSplit split) =>
        [.. rows.Where(row => row.Split == split).OrderBy(row => row.Epoch).Select(row => new ReferenceLosses(row.Total, row.Recon, row.Kl))];
}

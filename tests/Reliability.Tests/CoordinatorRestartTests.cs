using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>The coordinator killed (SIGKILL) mid-sweep and started again: the workers keep their trials and nothing is lost.</summary>
[Collection(FaultTestGroup.Name)]
public sealed class CoordinatorRestartTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;
    private static readonly string FourTrials = $"name: restart\nmethod: grid\nepochs: {Epochs}\ntrain_limit: 2000\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [1, 2, 3, 4]\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_coordinator_killed_and_back_after_5_s_leaves_every_trial_completed_once_with_every_epoch()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(FourTrials);
        // Mid-sweep: both workers training, an epoch stored.
        await cluster.WaitForAsync(db => db.EpochMetrics.AnyAsync(), TimeSpan.FromMinutes(2), "a first epoch stored");

        cluster.Coordinator!.Kill();
        var killedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await cluster.StartCoordinatorAsync();
        var restartedAt = DateTime.UtcNow;
        // Progress after the restart: an epoch reported to the new coordinator, whose counter starts at 0 (the workers'
        // own writes to the store would not show that the coordinator is back in the loop).
        var progressAt = await cluster.WaitForMetricAsync(new Regex("""^sweeprunner_epochs_reported_total\{[^}]*\} [1-9]""", RegexOptions.Multiline), Bound);
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));

        output.WriteLine($"kill → restart: {(restartedAt - killedAt).TotalSeconds:F1} s; restart → sweep progressing: {(progressAt - restartedAt).TotalSeconds:F1} s");
        await using var db = cluster.Contexts().CreateDbContext();
        var trials = await db.Trials.Where(t => t.SweepId == sweepId).ToListAsync();
        Assert.Equal(Trials, trials.Count);
        Assert.All(trials, trial => Assert.True(trial.Status == TrialStatus.Completed, $"trial {trial.Number}: {trial.Status} ({trial.FailureReason})\n{cluster.Output}"));
        Assert.Equal(Trials * Epochs * 2, await db.EpochMetrics.CountAsync(m => trials.Select(t => t.Id).Contains(m.TrialId)));
        Assert.All(cluster.Workers, worker => Assert.False(worker.HasExited, cluster.Output));
    }
}

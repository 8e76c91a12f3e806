using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>A trial whose loss becomes NaN fails as diverged; the sweep goes on and its other trials complete.</summary>
[Collection(FaultTests.Name)]
public sealed class DivergedTrialTests(ITestOutputHelper output)
{
    private const int Epochs = 4;

    /// <summary>Trial 1's learning rate, 10⁶, makes an MLP's loss NaN within its first batches; trials 2 and 3 train as usual.</summary>
    private static readonly string OneAbsurdLearningRate =
        $"name: diverged\nmethod: grid\nepochs: {Epochs}\ntrain_limit: 2000\nparameters:\n  model:\n    value: mlp\n  lr:\n    values: [1000000, 0.001, 0.002]\n";

    [Fact]
    public async Task A_trial_whose_loss_becomes_nan_fails_as_diverged_while_the_other_trials_complete()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(OneAbsurdLearningRate);
        var failedAt = await cluster.WaitForAsync(
            db => db.Trials.AnyAsync(t => t.SweepId == sweepId && t.Number == 1 && t.Status == TrialStatus.Failed), TimeSpan.FromMinutes(2), "trial 1 failed");
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(4));
        var completedAt = DateTime.UtcNow;

        output.WriteLine($"trial 1 failed → sweep completed: {(completedAt - failedAt).TotalSeconds:F1} s");
        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, trials: 3, Epochs, diverged: 1);
    }
}

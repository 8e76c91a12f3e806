using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps.EarlyStopping;

namespace SweepRunner.Contracts.Tests.Sweeps.EarlyStopping;

public sealed class MedianStopperTests
{
    // Running averages over the first two epochs: 9, 11, 8 → median 9.
    private static readonly MetricCurve[] Finished = [new([10, 8, 6], Finished: true), new([12, 10, 9], Finished: true), new([9, 7, 5], Finished: true)];

    [Fact]
    public void Trial_whose_best_is_worse_than_the_median_of_running_averages_stops()
    {
        var decision = new MedianStopper(minTrials: 3, graceEpochs: 1).Decide(new MetricCurve([11, 9.5]), Finished, MetricGoal.Minimize);

        Assert.True(decision.ShouldStop);
        Assert.Equal("at epoch 2 its best 9.5 is worse than the median 9 of 3 finished trials' running averages", decision.Reason);
    }

    [Fact]
    public void Trial_at_or_better_than_the_median_continues()
    {
        var stopper = new MedianStopper(minTrials: 3, graceEpochs: 1);

        Assert.False(stopper.Decide(new MetricCurve([11, 9]), Finished, MetricGoal.Minimize).ShouldStop);
        Assert.False(stopper.Decide(new MetricCurve([11, 8.5]), Finished, MetricGoal.Minimize).ShouldStop);
    }

    [Fact]
    public void Fewer_finished_trials_than_the_minimum_never_stop_a_trial()
    {
        MetricCurve[] others = [.. Finished, new([1, 1, 1], Finished: false)];

        var decision = new MedianStopper(minTrials: 4, graceEpochs: 1).Decide(new MetricCurve([11, 50]), others, MetricGoal.Minimize);

        Assert.Equal(StopDecision.Continue("3 trials finished; the rule needs 4"), decision);
    }

    [Fact]
    public void Within_the_grace_period_a_trial_continues()
    {
        var decision = new MedianStopper(minTrials: 3, graceEpochs: 2).Decide(new MetricCurve([11, 50]), Finished, MetricGoal.Minimize);

        Assert.Equal(StopDecision.Continue("epoch 2 is within the grace period of 2"), decision);
    }

    [Fact]
    public void Finished_trial_shorter_than_the_epoch_counts_with_all_its_epochs()
    {
        // At epoch 3: running averages 8, 31/3 ≈ 10.33, and 8 for the one-epoch trial → median 8.
        MetricCurve[] others = [Finished[0], Finished[1], new([8], Finished: true)];
        var stopper = new MedianStopper(minTrials: 3, graceEpochs: 0);

        Assert.False(stopper.Decide(new MetricCurve([9, 9, 8]), others, MetricGoal.Minimize).ShouldStop);
        Assert.True(stopper.Decide(new MetricCurve([9, 9, 8.1]), others, MetricGoal.Minimize).ShouldStop);
    }

    [Fact]
    public void Maximize_stops_a_trial_below_the_median()
    {
        MetricCurve[] others = [new([1, 2], Finished: true), new([3, 4], Finished: true), new([5, 6], Finished: true)];
        var stopper = new MedianStopper(minTrials: 3, graceEpochs: 0);

        // Running averages at epoch 2: 1.5, 3.5, 5.5 → median 3.5.
        Assert.True(stopper.Decide(new MetricCurve([3, 3.4]), others, MetricGoal.Maximize).ShouldStop);
        Assert.False(stopper.Decide(new MetricCurve([3, 3.5]), others, MetricGoal.Maximize).ShouldStop);
    }
}

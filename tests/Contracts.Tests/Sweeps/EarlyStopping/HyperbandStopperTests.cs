using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps.EarlyStopping;

namespace SweepRunner.Contracts.Tests.Sweeps.EarlyStopping;

public sealed class HyperbandStopperTests
{
    // Nine trials whose first epoch gave 1 … 9: the 1/3-quantile is 3 + (4 − 3)·(8/3 − 2) = 3.667.
    private static readonly MetricCurve[] NineTrials = [.. Enumerable.Range(1, 9).Select(value => new MetricCurve([value]))];

    [Fact]
    public void Min_iter_milestones_grow_by_eta_without_end_when_s_is_not_given()
    {
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: null, strict: false);

        Assert.Equal([1, 3, 9, 27, 81], stopper.Milestones.Take(5));
        Assert.Equal(1_162_261_467, stopper.Milestones[^1]);
    }

    [Fact]
    public void Min_iter_milestones_are_floored_and_distinct()
    {
        Assert.Equal([1, 2, 3, 5], HyperbandStopper.FromMinIter(1, 1.5, brackets: 5, strict: false).Milestones);
    }

    [Fact]
    public void Max_iter_milestones_are_wandbs_max_iter_over_eta_powers()
    {
        Assert.Equal([3, 9], HyperbandStopper.FromMaxIter(27, 3, brackets: 2, strict: false).Milestones);
        Assert.Equal([1, 3, 9, 27], HyperbandStopper.FromMaxIter(81, 3, brackets: 10, strict: false).Milestones);
        // 16/3 = 5.33 and 16/9 = 1.78, floored only once divided.
        Assert.Equal([1, 5], HyperbandStopper.FromMaxIter(16, 3, brackets: 2, strict: false).Milestones);
    }

    [Fact]
    public void Trial_outside_the_best_third_at_a_milestone_stops()
    {
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: false);
        var trial = new MetricCurve([4.0]);
        var others = NineTrials.Where(other => other.Values[0] != 4.0).ToList();

        var decision = stopper.Decide(trial, others, MetricGoal.Minimize);

        Assert.True(decision.ShouldStop);
        Assert.Equal("at milestone epoch 1 its best 4 is not within the best 1/3 of the 9 trials there (threshold 3.66667)", decision.Reason);
    }

    [Fact]
    public void Trial_within_the_best_third_continues()
    {
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: false);
        var others = NineTrials.Where(other => other.Values[0] != 3.0).ToList();

        Assert.False(stopper.Decide(new MetricCurve([3.0]), others, MetricGoal.Minimize).ShouldStop);
    }

    [Fact]
    public void Maximize_keeps_the_top_third_of_the_largest_values()
    {
        // For maximize the threshold is the 2/3-quantile of 1 … 9: 6 + (7 − 6)·(16/3 − 5) = 6.333.
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: false);

        Assert.False(stopper.Decide(new MetricCurve([7.0]), [.. NineTrials.Where(other => other.Values[0] != 7.0)], MetricGoal.Maximize).ShouldStop);
        var stop = stopper.Decide(new MetricCurve([6.0]), [.. NineTrials.Where(other => other.Values[0] != 6.0)], MetricGoal.Maximize);
        Assert.True(stop.ShouldStop);
        Assert.Contains("(threshold 6.33333)", stop.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_milestones_the_latest_one_reached_decides_by_the_best_value_up_to_it()
    {
        // Milestones 1 and 3; at epoch 4 milestone 3 decides. The others' best over epochs 1-3: 1, 5, 6, 7.
        // Best 2: the 1/3-quantile of {1, 2, 5, 6, 7} is 2 + (5 − 2)·(4/3 − 1) = 3, so it goes on.
        // Best 5.5: of {1, 5, 5.5, 6, 7} it is 5 + 0.5·(1/3) = 5.17, so it stops, its epoch-4 value notwithstanding.
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: false);
        MetricCurve[] others = [new([3, 2, 1, 0.5]), new([7, 6, 5]), new([6, 6, 6]), new([8, 7, 7])];

        Assert.False(stopper.Decide(new MetricCurve([9, 2, 4, 4]), others, MetricGoal.Minimize).ShouldStop);
        var stop = stopper.Decide(new MetricCurve([9, 5.5, 6, 0.1]), others, MetricGoal.Minimize);
        Assert.True(stop.ShouldStop);
        Assert.Contains("milestone epoch 3 its best 5.5", stop.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Before_the_first_milestone_every_trial_continues()
    {
        var stopper = HyperbandStopper.FromMinIter(3, 3, brackets: null, strict: false);

        var decision = stopper.Decide(new MetricCurve([100, 100]), [new MetricCurve([1, 1, 1])], MetricGoal.Minimize);

        Assert.Equal(StopDecision.Continue("no milestone reached yet"), decision);
    }

    [Fact]
    public void Only_strict_mode_rechecks_earlier_milestones()
    {
        // At milestone 1 the trial (5) is worst of {1, 2, 5}; at milestone 3 it is best of those that reached it.
        var lenient = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: false);
        var strict = HyperbandStopper.FromMinIter(1, 3, brackets: 2, strict: true);
        var trial = new MetricCurve([5, 0.5, 0.5]);
        MetricCurve[] others = [new([1]), new([2, 2, 2])];

        Assert.False(lenient.Decide(trial, others, MetricGoal.Minimize).ShouldStop);
        Assert.Contains("milestone epoch 1", strict.Decide(trial, others, MetricGoal.Minimize).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Alone_at_a_milestone_a_trial_continues()
    {
        var stopper = HyperbandStopper.FromMinIter(1, 3, brackets: 1, strict: false);

        Assert.False(stopper.Decide(new MetricCurve([100]), [], MetricGoal.Minimize).ShouldStop);
    }
}

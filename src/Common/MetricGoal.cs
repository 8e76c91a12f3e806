namespace SweepRunner.Common;

/// <summary>Whether a sweep looks for the lowest or the highest value of its metric.</summary>
public enum MetricGoal
{
    Minimize,
    Maximize,
}

public static class MetricGoalExtensions
{
    /// <summary>The metric value turned into a cost, lower being better whatever the goal (its own inverse).</summary>
    public static double Cost(this MetricGoal goal, double value) => goal == MetricGoal.Maximize ? -value : value;
}

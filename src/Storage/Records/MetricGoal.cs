namespace SweepRunner.Storage.Records;

/// <summary>Whether a sweep looks for the lowest or the highest value of its metric.</summary>
public enum MetricGoal
{
    Minimize,
    Maximize,
}

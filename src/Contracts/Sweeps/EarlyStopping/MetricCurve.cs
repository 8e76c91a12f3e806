using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.EarlyStopping;

/// <summary>The sweep metric of one trial after each epoch so far (<c>Values[i]</c> after epoch i + 1), and whether the trial has finished.</summary>
public sealed record MetricCurve(IReadOnlyList<double> Values, bool Finished = false)
{
    public int Epochs => Values.Count;

    /// <summary>The lowest cost over the first <paramref name="epochs"/> epochs.</summary>
    public double BestCost(int epochs, MetricGoal goal) => Values.Take(epochs).Min(value => goal.Cost(value));

    /// <summary>The mean cost over the first <paramref name="epochs"/> epochs (all of them if it has fewer).</summary>
    public double MeanCost(int epochs, MetricGoal goal) => Values.Take(epochs).Average(value => goal.Cost(value));
}

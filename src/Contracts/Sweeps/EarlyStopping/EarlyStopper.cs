using System.Globalization;
using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.EarlyStopping;

/// <summary>An early-stopping rule (<c>early_terminate</c>): a pure decision over the metric curves of a sweep's trials.</summary>
public abstract class EarlyStopper
{
    private protected EarlyStopper()
    {
    }

    /// <summary>Whether <paramref name="trial"/>, after its latest epoch, should stop, given every other trial of the sweep.</summary>
    public abstract StopDecision Decide(MetricCurve trial, IReadOnlyList<MetricCurve> others, MetricGoal goal);

    public abstract string Describe();

    /// <summary>The q-quantile with linear interpolation between order statistics (numpy's default, as W&amp;B uses).</summary>
    internal static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(position);
        int above = (int)Math.Ceiling(position);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }

    private protected static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

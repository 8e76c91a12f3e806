using SweepRunner.Common;

namespace SweepRunner.Storage.Trials;

/// <summary>A trial's final test losses and latent analysis, stored as columns so the best trial is an indexed ORDER BY.</summary>
public sealed record FinalMetrics(double TestTotal, double TestRecon, double TestKl, double? IwaeNll = null, int? ActiveUnits = null)
{
    /// <summary>The final metrics of a trial whose test losses are known; null while they are not (the trial has not ended well).</summary>
    public static FinalMetrics? Of(double? testTotal, double? testRecon, double? testKl, double? iwaeNll, int? activeUnits) =>
        testTotal is { } total && testRecon is { } recon && testKl is { } kl ? new(total, recon, kl, iwaeNll, activeUnits) : null;

    /// <summary>The value of <paramref name="metric"/>; null for a latent measure the trainer did not take.</summary>
    public double? Value(TrialMetric metric) => metric switch
    {
        TrialMetric.TestTotal => TestTotal,
        TrialMetric.TestRecon => TestRecon,
        TrialMetric.TestKl => TestKl,
        TrialMetric.IwaeNll => IwaeNll,
        TrialMetric.ActiveUnits => ActiveUnits,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };
}

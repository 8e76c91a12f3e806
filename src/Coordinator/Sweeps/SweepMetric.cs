using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>The value of a sweep's metric (a <see cref="MetricNames"/> name) in what storage keeps of a trial.</summary>
internal static class SweepMetric
{
    /// <summary>From one stored epoch row; null when the row is of the other split or the metric is not per epoch.</summary>
    public static double? FromEpoch(string name, EpochMetricRecord row) =>
        MetricNames.SourceOf(name)?.Epoch is { } loss && loss.Split == row.Split ? loss.Term.Pick(row.Total, row.Recon, row.Kl) : null;

    /// <summary>From a trial's final metrics; null for the train metrics, which only the epochs have.</summary>
    public static double? FromFinal(string name, FinalMetrics metrics) =>
        MetricNames.SourceOf(name)?.Final is { } final ? metrics.Value(final) : null;

    /// <summary>The final metrics stored on a trial row; null while it has none.</summary>
    public static FinalMetrics? FinalOf(TrialRecord trial) =>
        FinalMetrics.Of(trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits);

    /// <summary>The metric a sweep without a <c>metric</c> key is ranked by: the book's test loss.</summary>
    public static MetricSpec Default { get; } = new(MetricNames.TestTotal, MetricGoal.Minimize, null);
}

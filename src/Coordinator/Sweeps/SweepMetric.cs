using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>The value of a sweep's metric (a <see cref="MetricNames"/> name) in what storage keeps of a trial.</summary>
internal static class SweepMetric
{
    /// <summary>From one stored epoch row; null when the row is of the other split or the metric is not per epoch.</summary>
    public static double? FromEpoch(string name, EpochMetricRecord row) => (name, row.Split) switch
    {
        (MetricNames.TestTotal, MetricSplit.Test) or (MetricNames.TrainTotal, MetricSplit.Train) => row.Total,
        (MetricNames.TestRecon, MetricSplit.Test) or (MetricNames.TrainRecon, MetricSplit.Train) => row.Recon,
        (MetricNames.TestKl, MetricSplit.Test) or (MetricNames.TrainKl, MetricSplit.Train) => row.Kl,
        _ => null,
    };

    /// <summary>From a trial's final metrics; null for the train metrics, which only the epochs have.</summary>
    public static double? FromFinal(string name, FinalMetrics metrics) => name switch
    {
        MetricNames.TestTotal => metrics.TestTotal,
        MetricNames.TestRecon => metrics.TestRecon,
        MetricNames.TestKl => metrics.TestKl,
        MetricNames.IwaeNll => metrics.IwaeNll,
        MetricNames.ActiveUnits => metrics.ActiveUnits,
        _ => null,
    };

    /// <summary>The final metrics stored on a trial row; null while it has none.</summary>
    public static FinalMetrics? FinalOf(TrialRecord trial) =>
        trial is { TestTotal: { } total, TestRecon: { } recon, TestKl: { } kl } ? new FinalMetrics(total, recon, kl, trial.IwaeNll, trial.ActiveUnits) : null;

    public static Storage.Records.MetricGoal StoredGoal(Contracts.Sweeps.MetricGoal goal) =>
        goal == Contracts.Sweeps.MetricGoal.Maximize ? Storage.Records.MetricGoal.Maximize : Storage.Records.MetricGoal.Minimize;

    /// <summary>The metric a sweep without a <c>metric</c> key is ranked by: the book's test loss.</summary>
    public static MetricSpec Default { get; } = new(MetricNames.TestTotal, Contracts.Sweeps.MetricGoal.Minimize, null);
}

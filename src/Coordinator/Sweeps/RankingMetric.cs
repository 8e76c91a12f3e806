using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>The stored final-metric column a sweep metric (a <see cref="MetricNames"/> name) ranks trials by.</summary>
public static class RankingMetric
{
    /// <summary>The column of <paramref name="canonicalName"/>; null for the train metrics, which only the epochs have.</summary>
    public static TrialMetric? Of(string canonicalName) => MetricNames.SourceOf(canonicalName)?.Final;

    /// <summary>What a sweep's best trial is chosen by: its metric's column, the test loss for a metric only the epochs have.</summary>
    public static TrialMetric OfSweep(SweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return MetricNames.RankingColumnOf(sweep.MetricName);
    }
}

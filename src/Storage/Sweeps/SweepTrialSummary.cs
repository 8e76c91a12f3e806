using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Sweeps;

/// <summary>
/// What a sweep listing shows of each sweep's trials: how many are in each status (every status present, 0 where none),
/// when the first one started, and the lowest and highest value of each final metric among them.
/// </summary>
public sealed class SweepTrialSummary(
    IReadOnlyDictionary<TrialStatus, int> trialsByStatus, DateTime? firstStartedAt, IReadOnlyDictionary<TrialMetric, (double? Lowest, double? Highest)> metricRanges)
{
    /// <summary>The summary of a sweep without trials.</summary>
    public static SweepTrialSummary Empty { get; } = new(Enum.GetValues<TrialStatus>().ToDictionary(status => status, _ => 0), null, new Dictionary<TrialMetric, (double?, double?)>());

    public IReadOnlyDictionary<TrialStatus, int> TrialsByStatus => trialsByStatus;

    /// <summary>When the sweep's earliest trial started; null while none has.</summary>
    public DateTime? FirstStartedAt => firstStartedAt;

    /// <summary>The best value of <paramref name="metric"/> among the trials by <paramref name="goal"/>; null while no trial has it.</summary>
    public double? Best(TrialMetric metric, MetricGoal goal) =>
        metricRanges.TryGetValue(metric, out var range) ? (goal == MetricGoal.Minimize ? range.Lowest : range.Highest) : null;
}

using SweepRunner.Common;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Coordinator.Api;

/// <summary>A sweep in listings: what it is and where it stands.</summary>
public sealed record SweepSummary(
    Guid Id, string Name, string Status, string Method, string Metric, string Goal, int Trials, DateTime CreatedAt, DateTime? FinishedAt)
{
    public static SweepSummary From(SweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return new(sweep.Id, sweep.Name, sweep.Status.LowerName(), sweep.Method, sweep.MetricName, sweep.MetricGoal.LowerName(),
            sweep.TrialCount, sweep.CreatedAt, sweep.FinishedAt);
    }
}

/// <summary>
/// A sweep in the dashboard's listing: <see cref="SweepSummary"/>'s fields (a client of those reads these) and, after
/// them, its trial counts by status, the value of its metric of its best trial, when its first trial started, and how
/// long it has run (to its end, or to now while it runs).
/// </summary>
public sealed record SweepListItem(
    Guid Id, string Name, string Status, string Method, string Metric, string Goal, int Trials, DateTime CreatedAt, DateTime? FinishedAt,
    IReadOnlyDictionary<string, int> TrialsByStatus, double? BestValue, DateTime? StartedAt, double? DurationSeconds)
{
    public static SweepListItem From(SweepRecord sweep, SweepTrialSummary trials, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var summary = SweepSummary.From(sweep);
        DateTime? end = sweep.FinishedAt ?? (sweep.Status == SweepStatus.Running ? now : null);
        double? duration = trials.FirstStartedAt is { } started && end is { } until ? Math.Max(0, (until - started).TotalSeconds) : null;
        return new(summary.Id, summary.Name, summary.Status, summary.Method, summary.Metric, summary.Goal, summary.Trials, summary.CreatedAt, summary.FinishedAt,
            trials.TrialsByStatus.ToDictionary(pair => pair.Key.LowerName(), pair => pair.Value),
            trials.Best(RankingMetric.OfSweep(sweep), sweep.MetricGoal), trials.FirstStartedAt, duration);
    }
}

/// <summary>
/// One sweep in detail: its trial counts by status, how many have ended, the best trial so far by its metric, the
/// bytes of its trials' stored checkpoints (what its <c>checkpoints: {keep: …}</c> retention leaves), and the pending
/// trials that no live worker may take (their tags).
/// </summary>
public sealed record SweepDetail(
    SweepSummary Sweep, IReadOnlyDictionary<string, int> TrialsByStatus, SweepProgressCounts Progress, TrialSummary? Best, long CheckpointBytes, IReadOnlyList<WaitingTrials> Waiting);

/// <summary>
/// Pending trials that wait for a worker tagged <see cref="Requires"/>: no live worker carries all those tags, so they
/// stay pending (never failed) until one joins.
/// </summary>
public sealed record WaitingTrials(IReadOnlyList<string> Requires, int Trials)
{
    /// <summary>How many wait, and for what: <c>3 pending trials wait for a worker tagged gpu (no live worker carries it)</c>.</summary>
    public string Describe() =>
        $"{Trials} pending {(Trials == 1 ? "trial waits" : "trials wait")} for a worker tagged {WorkerTags.Describe(Requires)} (no live worker carries {(Requires.Count == 1 ? "it" : "them all")})";
}

/// <summary>Ended trials (completed, failed, cancelled, stopped) out of all; <see cref="Finished"/> once the sweep itself has ended.</summary>
public sealed record SweepProgressCounts(int Ended, int Total, bool Finished);

/// <summary>A 400 for a sweep file: every problem the parser found, each at its line and column.</summary>
public sealed record SpecErrorList(string Title, IReadOnlyList<SpecErrorDocument> Errors);

public sealed record SpecErrorDocument(string File, int Line, int Column, string Path, string Message);

/// <summary>
/// A sweep file that is valid: the sweep it would start (name, method, metric and goal), how many trials it runs (a
/// grid's count; random and bayes: their run cap, null without one) and its parameters in declaration order.
/// </summary>
public sealed record SpecValidationDocument(string Name, string Method, string Metric, string Goal, int? Trials, IReadOnlyList<string> Parameters)
{
    public static SpecValidationDocument From(CheckedSweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return new(sweep.Name, sweep.Spec.Method.LowerName(), sweep.Metric.Name, sweep.Metric.Goal.LowerName(), sweep.TrialCount,
            [.. sweep.Spec.Parameters.Select(parameter => parameter.Name)]);
    }
}

using SweepRunner.Common;
using SweepRunner.Storage.Records;

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
/// One sweep in detail: its trial counts by status, how many have ended, the best trial so far by its metric, and the
/// bytes of its trials' stored checkpoints (what its <c>checkpoints: {keep: …}</c> retention leaves).
/// </summary>
public sealed record SweepDetail(SweepSummary Sweep, IReadOnlyDictionary<string, int> TrialsByStatus, SweepProgressCounts Progress, TrialSummary? Best, long CheckpointBytes);

/// <summary>Ended trials (completed, failed, cancelled, stopped) out of all; <see cref="Finished"/> once the sweep itself has ended.</summary>
public sealed record SweepProgressCounts(int Ended, int Total, bool Finished);

/// <summary>A 400 for a sweep file: every problem the parser found, each at its line and column.</summary>
public sealed record SpecErrorList(string Title, IReadOnlyList<SpecErrorDocument> Errors);

public sealed record SpecErrorDocument(string File, int Line, int Column, string Path, string Message);

using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>How a trial ends: the final status and what goes with it.</summary>
public sealed record TrialOutcome
{
    private TrialOutcome(TrialStatus status, FinalMetrics? metrics, FailureClass? failureClass, string? failureReason)
    {
        Status = status;
        Metrics = metrics;
        FailureClass = failureClass;
        FailureReason = failureReason;
    }

    public TrialStatus Status { get; }

    public FinalMetrics? Metrics { get; }

    public FailureClass? FailureClass { get; }

    public string? FailureReason { get; }

    public static TrialOutcome Completed(FinalMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(TrialStatus.Completed, metrics, null, null);
    }

    /// <summary>Ended by the early-termination rule, with the metrics of its last epoch when known.</summary>
    public static TrialOutcome Stopped(FinalMetrics? metrics = null) => new(TrialStatus.Stopped, metrics, null, null);

    public static TrialOutcome Failed(FailureClass failureClass, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(TrialStatus.Failed, null, failureClass, reason);
    }

    public static TrialOutcome Cancelled() => new(TrialStatus.Cancelled, null, null, null);
}

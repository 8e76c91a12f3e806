using SweepRunner.Common;

namespace SweepRunner.Contracts.Grains;

/// <summary>How a worker ended a trial it holds the lease of.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.trial-result")]
public sealed record TrialResult(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid LeaseId,
    [property: Id(2)] TrialEnd End,
    [property: Id(3)] TrialFinalMetrics? Metrics,
    [property: Id(4)] string? FailureReason,
    [property: Id(5)] FailureClass? FailureClass = null)
{
    public static TrialResult Completed(Guid trialId, Guid leaseId, TrialFinalMetrics metrics) => new(trialId, leaseId, TrialEnd.Completed, metrics, null);

    public static TrialResult Stopped(Guid trialId, Guid leaseId, TrialFinalMetrics? metrics) => new(trialId, leaseId, TrialEnd.Stopped, metrics, null);

    /// <param name="failureClass"><see cref="Common.FailureClass.Diverged"/> or <see cref="Common.FailureClass.Error"/>: the failures a worker sees in training.</param>
    public static TrialResult Failed(Guid trialId, Guid leaseId, FailureClass failureClass, string reason) =>
        new(trialId, leaseId, TrialEnd.Failed, null, reason, failureClass);
}

[GenerateSerializer, Alias("sweeprunner.trial-end")]
public enum TrialEnd
{
    Completed,

    /// <summary>By the sweep's early-termination rule.</summary>
    Stopped,

    /// <summary>Diverged (NaN loss) or an error in training; the failure class says which, the reason what happened.</summary>
    Failed,
}

/// <summary>A trial's final test losses and latent analysis.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.trial-final-metrics")]
public sealed record TrialFinalMetrics(
    [property: Id(0)] double TestTotal,
    [property: Id(1)] double TestRecon,
    [property: Id(2)] double TestKl,
    [property: Id(3)] double? IwaeNll,
    [property: Id(4)] int? ActiveUnits);

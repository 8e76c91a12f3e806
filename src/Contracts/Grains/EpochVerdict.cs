namespace SweepRunner.Contracts.Grains;

/// <summary>What a worker does after an epoch, and why (for its log).</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.epoch-verdict")]
public sealed record EpochVerdict([property: Id(0)] EpochDecision Decision, [property: Id(1)] string Reason)
{
    public static EpochVerdict Continue(string reason) => new(EpochDecision.Continue, reason);
}

/// <summary>Go on training; stop early (end the trial as stopped); or drop it (the sweep was cancelled, the lease lost).</summary>
[GenerateSerializer, Alias("sweeprunner.epoch-decision")]
public enum EpochDecision
{
    Continue,
    Stop,
    Abandon,
}

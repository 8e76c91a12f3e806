namespace SweepRunner.Contracts.Sweeps.EarlyStopping;

/// <summary>Whether a running trial should stop now, and why, in words for the log.</summary>
public sealed record StopDecision(bool ShouldStop, string Reason)
{
    public static StopDecision Continue(string reason) => new(false, reason);

    public static StopDecision Stop(string reason) => new(true, reason);
}

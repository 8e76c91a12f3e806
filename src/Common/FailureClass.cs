namespace SweepRunner.Common;

/// <summary>
/// Why a trial failed, as stored, served by the API, shown and counted (lower case: <c>diverged</c>). Model failures
/// (<see cref="Diverged"/>, <see cref="Error"/>) count against the trial's attempts; infrastructure losses have a budget
/// of their own, so that an outage never uses up a trial's attempts.
/// </summary>
public enum FailureClass
{
    /// <summary>Its worker was lost, or the coordinator or the store stayed unreachable past the lease, too many times.</summary>
    Infrastructure,

    /// <summary>The loss became NaN or infinite. Deterministic: the same seed from the same checkpoint diverges again.</summary>
    Diverged,

    /// <summary>An exception in training (bad config, unreadable checkpoint, …) on each of its attempts.</summary>
    Error,

    /// <summary>An attempt ran longer than the coordinator's trial timeout.</summary>
    Timeout,
}

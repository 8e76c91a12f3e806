namespace SweepRunner.Storage.Records;

/// <summary>Where a trial stands; stored as its lower-case name. Completed, failed, cancelled and stopped are final.</summary>
public enum TrialStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,

    /// <summary>Ended early by the sweep's early-termination rule.</summary>
    Stopped,
}

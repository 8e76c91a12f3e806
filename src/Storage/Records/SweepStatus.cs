namespace SweepRunner.Storage.Records;

/// <summary>Where a sweep stands; stored as its lower-case name.</summary>
public enum SweepStatus
{
    Pending,
    Running,
    Completed,
    Cancelled,
    Failed,
}

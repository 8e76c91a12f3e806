namespace SweepRunner.Storage.Records;

/// <summary>How much a trial's log line matters; stored as its lower-case name.</summary>
public enum TrialLogLevel
{
    Info,
    Warning,
    Error,
}

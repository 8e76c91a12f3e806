namespace SweepRunner.Coordinator.Metrics;

/// <summary>The class of a trial's failure, a label with few values where the reason itself is free text.</summary>
public static class FailureReason
{
    /// <summary>The loss became NaN or infinite (the worker's reason starts with this word).</summary>
    public const string Diverged = "diverged";

    /// <summary>An exception in training: bad config, unreadable checkpoint, storage error.</summary>
    public const string Error = "error";

    /// <summary>The trial's worker was lost (its lease ran out) on the last attempt.</summary>
    public const string Infrastructure = "infrastructure";

    public static string Classify(string? workerReason) =>
        workerReason is not null && workerReason.StartsWith(Diverged, StringComparison.Ordinal) ? Diverged : Error;
}

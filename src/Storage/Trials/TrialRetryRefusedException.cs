using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Trials;

/// <summary>Why a retry queued nothing; the message says so in words.</summary>
public enum TrialRetryRefusal
{
    /// <summary>Retrying the failed trials of a sweep that has none.</summary>
    NothingFailed,

    /// <summary>A trial number the sweep does not have.</summary>
    NoSuchTrial,

    /// <summary>A trial that completed, or is still pending or running.</summary>
    NotRetryable,
}

/// <summary>A retry that would queue nothing, or a trial that cannot be retried; nothing was changed.</summary>
public sealed class TrialRetryRefusedException(TrialRetryRefusal refusal, string message) : StorageException(message)
{
    public TrialRetryRefusal Refusal { get; } = refusal;
}

namespace SweepRunner.Storage.Errors;

/// <summary>
/// The caller no longer holds the trial's lease: it expired (the trial was requeued or failed), or the trial was
/// cancelled. The worker must stop working on it.
/// </summary>
public sealed class LeaseLostException(Guid trialId, Guid leaseId)
    : StorageException($"trial {trialId}: lease {leaseId} is no longer held (expired, or the trial was cancelled)");

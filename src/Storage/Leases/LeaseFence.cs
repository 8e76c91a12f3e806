using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Leases;

/// <summary>Refuses a worker's write for a trial whose lease moved on (expired and requeued, failed, or cancelled).</summary>
internal static class LeaseFence
{
    /// <summary>
    /// Checks, in the caller's transaction, that trial <paramref name="trialId"/> is running under
    /// <paramref name="leaseId"/>, and keeps it so until that transaction ends. The check writes the row (it sets the
    /// lease id it already has): on PostgreSQL the row then stays locked, so an expiry or a cancellation committed
    /// first makes the check fail and one that comes later waits for the write to commit; SQLite has one writer at a
    /// time. Throws <see cref="LeaseLostException"/>, or <see cref="RecordNotFoundException"/> for no such trial.
    /// </summary>
    public static async Task HoldLeaseAsync(this SweepDbContext db, Guid trialId, Guid leaseId, CancellationToken cancellationToken)
    {
        int held = await db.Trials.Where(t => t.Id == trialId && t.LeaseId == leaseId && t.Status == TrialStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseId, leaseId), cancellationToken);
        if (held == 1) return;
        throw await db.Trials.AnyAsync(t => t.Id == trialId, cancellationToken)
            ? (StorageException)new LeaseLostException(trialId, leaseId)
            : new RecordNotFoundException("trial", trialId);
    }
}

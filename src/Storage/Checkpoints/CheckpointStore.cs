using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Checkpoints;

/// <summary>Trial checkpoints kept in the database, each with its SHA-256, verified whenever it is read.</summary>
public sealed class CheckpointStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Stores the trial's checkpoint of <paramref name="epoch"/>, replacing one stored for that epoch before, for the
    /// holder of <paramref name="leaseId"/>: throws <see cref="LeaseLostException"/>, storing nothing, when the trial
    /// no longer runs under it.
    /// </summary>
    public async Task<CheckpointRecord> PutAsync(Guid trialId, Guid leaseId, int epoch, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentNullException.ThrowIfNull(bytes);
        var checkpoint = new CheckpointRecord
        {
            TrialId = trialId,
            Epoch = epoch,
            Bytes = bytes,
            Sha256 = StoredHash.Of(bytes),
            SizeBytes = bytes.LongLength,
            CreatedAt = clock.StorageNow(),
        };
        await contexts.InTransactionAsync(async (db, token) =>
        {
            await db.HoldLeaseAsync(trialId, leaseId, token);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO checkpoints (trial_id, epoch, bytes, sha256, size_bytes, created_at)
                VALUES ({checkpoint.TrialId}, {checkpoint.Epoch}, {checkpoint.Bytes}, {checkpoint.Sha256}, {checkpoint.SizeBytes}, {checkpoint.CreatedAt})
                ON CONFLICT (trial_id, epoch) DO UPDATE SET
                    bytes = excluded.bytes, sha256 = excluded.sha256, size_bytes = excluded.size_bytes, created_at = excluded.created_at
                """, token);
        }, cancellationToken);
        return checkpoint;
    }

    /// <summary>
    /// The trial's checkpoint of <paramref name="epoch"/>, or its latest when null; null when there is none. Throws
    /// <see cref="StorageIntegrityException"/> when the bytes read are not the bytes stored.
    /// </summary>
    public async Task<CheckpointRecord?> GetAsync(Guid trialId, int? epoch = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var checkpoints = db.Checkpoints.AsNoTracking().Where(c => c.TrialId == trialId);
        if (epoch is { } wanted) checkpoints = checkpoints.Where(c => c.Epoch == wanted);
        var checkpoint = await checkpoints.OrderByDescending(c => c.Epoch).FirstOrDefaultAsync(cancellationToken);
        if (checkpoint is null) return null;

        StoredHash.Verify(checkpoint.Bytes, checkpoint.Sha256, checkpoint.SizeBytes, $"checkpoint of trial {trialId}, epoch {checkpoint.Epoch}");
        return checkpoint;
    }

    /// <summary>The trial's latest checkpoint without its bytes (neither read nor verified); null when there is none.</summary>
    public async Task<CheckpointInfo?> GetLatestInfoAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.Where(c => c.TrialId == trialId)
            .OrderByDescending(c => c.Epoch)
            .Select(c => new CheckpointInfo(c.Epoch, c.Sha256, c.SizeBytes))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes the trial's checkpoints except those of <paramref name="keepEpochs"/> and its latest, which is never
    /// deleted whatever the epochs say (a trial resumes from it); returns how many were deleted. One statement, so a
    /// checkpoint a worker stores meanwhile is either newer (and kept) or not seen.
    /// </summary>
    public async Task<int> PruneAsync(Guid trialId, IReadOnlyCollection<int> keepEpochs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keepEpochs);
        int[] kept = [.. keepEpochs];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints
            .Where(c => c.TrialId == trialId && !kept.Contains(c.Epoch)
                && db.Checkpoints.Any(newer => newer.TrialId == trialId && newer.Epoch > c.Epoch))
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The bytes of all checkpoints stored for the sweep's trials.</summary>
    public async Task<long> SweepBytesAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints
            .Where(c => db.Trials.Any(t => t.Id == c.TrialId && t.SweepId == sweepId))
            .SumAsync(c => c.SizeBytes, cancellationToken);
    }
}

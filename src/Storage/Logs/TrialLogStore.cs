using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Logs;

/// <summary>
/// Trials' logs: what their workers wrote (start, epochs, warnings, full errors) and what the coordinator did to them
/// (a lost lease, a timeout, a retry), attempt after attempt, kept with the trial and deleted with it.
/// </summary>
public sealed class TrialLogStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Appends a line to the log of the trial's current attempt for the holder of <paramref name="leaseId"/>:
    /// <see cref="LeaseLostException"/>, storing nothing, when the trial no longer runs under it (a stale worker
    /// cannot write into another attempt's log). Returns false when the line was dropped because the log is full
    /// (<see cref="TrialLogLimits"/>; errors are always kept).
    /// </summary>
    public async Task<bool> AppendAsync(Guid trialId, Guid leaseId, TrialLogLevel level, string source, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var now = clock.StorageNow();
        return await contexts.InTransactionAsync(async (db, token) =>
        {
            await db.HoldLeaseAsync(trialId, leaseId, token);
            int attempt = await db.Trials.Where(t => t.Id == trialId).Select(t => t.Attempt).SingleAsync(token);
            bool added = true;
            if (level == TrialLogLevel.Error) db.AddKept(trialId, attempt, level, source, message, now);
            else added = await db.AddCappedAsync(trialId, attempt, level, source, message, now, token);
            await db.SaveChangesAsync(token);
            return added;
        }, cancellationToken);
    }

    /// <summary>
    /// The trial's log lines in the order they were stored, of one <paramref name="attempt"/> when given, and only
    /// those stored after line <paramref name="afterSequence"/> when given (a reader following the log).
    /// </summary>
    public async Task<IReadOnlyList<TrialLogRecord>> ListAsync(Guid trialId, int? attempt = null, long? afterSequence = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lines = db.TrialLogLines.AsNoTracking().Where(l => l.TrialId == trialId);
        if (attempt is { } only) lines = lines.Where(l => l.Attempt == only);
        if (afterSequence is { } after) lines = lines.Where(l => l.Sequence > after);
        return await lines.OrderBy(l => l.Sequence).ToListAsync(cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>Reads one trial for a change and saves it, turning a lost version race into the caller's exception.</summary>
internal static class TrialRows
{
    /// <summary>
    /// Loads trial <paramref name="trialId"/>, lets <paramref name="change"/> check and change it, and saves it; the
    /// save fails with <paramref name="conflict"/> when another writer changed the row in between.
    /// </summary>
    public static Task<TrialRecord> ChangeAsync(
        IDbContextFactory<SweepDbContext> contexts, Guid trialId, Action<TrialRecord> change, Func<StorageException> conflict, CancellationToken cancellationToken) =>
        ChangeAsync(contexts, trialId, (_, trial) => change(trial), conflict, cancellationToken);

    /// <summary>
    /// As above; <paramref name="change"/> may also add rows to the context (a log line), saved in the same
    /// transaction as the trial's change.
    /// </summary>
    public static async Task<TrialRecord> ChangeAsync(
        IDbContextFactory<SweepDbContext> contexts, Guid trialId, Action<SweepDbContext, TrialRecord> change, Func<StorageException> conflict, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken) ?? throw new RecordNotFoundException("trial", trialId);
        change(db, trial);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw conflict();
        }
        return trial;
    }
}

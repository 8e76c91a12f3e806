using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Figures;

/// <summary>
/// The figures of trials (PNG files the worker renders when a trial ends), kept in the database with their SHA-256,
/// verified whenever one is read.
/// </summary>
public sealed class TrialFigureStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Makes <paramref name="figures"/> (file name → PNG bytes) the trial's figures, all in one transaction: any figure
    /// stored before is removed, so a trial rendered again (a resumed attempt, a CVAE rendered with fewer manifolds)
    /// keeps no stale file. Only the holder of <paramref name="leaseId"/> stores them: throws
    /// <see cref="LeaseLostException"/>, storing nothing, when the trial no longer runs under it. Throws
    /// <see cref="RecordNotFoundException"/> for an unknown trial, and <see cref="ArgumentException"/> for a name that
    /// is not a plain PNG file name (<see cref="FigureFileName"/>) or is given twice.
    /// </summary>
    public async Task PutAsync(Guid trialId, Guid leaseId, IReadOnlyList<KeyValuePair<string, byte[]>> figures, CancellationToken cancellationToken = default)
    {
        Validate(figures);
        var now = clock.StorageNow();
        var records = figures.Select(figure => new TrialFigureRecord
        {
            TrialId = trialId,
            Name = figure.Key,
            Png = figure.Value,
            Sha256 = StoredHash.Of(figure.Value),
            SizeBytes = figure.Value.LongLength,
            CreatedAt = now,
        });
        await contexts.InTransactionAsync(async (db, token) =>
        {
            await db.HoldLeaseAsync(trialId, leaseId, token);
            await db.TrialFigures.Where(f => f.TrialId == trialId).ExecuteDeleteAsync(token);
            db.TrialFigures.AddRange(records);
            await db.SaveChangesAsync(token);
        }, cancellationToken);
    }

    /// <summary>The trial's figures by name (ordinal), without their bytes; empty for a trial without any, or no trial.</summary>
    public async Task<IReadOnlyList<TrialFigureInfo>> ListAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var figures = await db.TrialFigures.AsNoTracking()
            .Where(f => f.TrialId == trialId)
            .Select(f => new TrialFigureInfo(f.Name, f.SizeBytes, f.Sha256))
            .ToListAsync(cancellationToken);
        // Ordered here, not in SQL: PostgreSQL would sort by the database's collation, SQLite by bytes.
        return [.. figures.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The trial's figure <paramref name="name"/>, or null when there is none. Throws
    /// <see cref="StorageIntegrityException"/> when the bytes read are not the bytes stored.
    /// </summary>
    public async Task<TrialFigureRecord?> GetAsync(Guid trialId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var figure = await db.TrialFigures.AsNoTracking().SingleOrDefaultAsync(f => f.TrialId == trialId && f.Name == name, cancellationToken);
        if (figure is null) return null;

        StoredHash.Verify(figure.Png, figure.Sha256, figure.SizeBytes, $"figure {name} of trial {trialId}");
        return figure;
    }

    private static void Validate(IReadOnlyList<KeyValuePair<string, byte[]>> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, png) in figures)
        {
            if (!FigureFileName.IsValid(name))
                throw new ArgumentException($"figure name {name}: expected a plain file name ending in .png (letters, digits, '-', '_', '.')", nameof(figures));
            if (png is null) throw new ArgumentException($"figure {name} has no bytes", nameof(figures));
            if (!names.Add(name)) throw new ArgumentException($"figure {name} is given twice", nameof(figures));
        }
    }
}

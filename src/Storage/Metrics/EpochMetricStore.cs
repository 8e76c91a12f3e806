using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Metrics;

/// <summary>Per-epoch losses of trials: the loss curves.</summary>
public sealed class EpochMetricStore(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Records the trial's metrics of <paramref name="epoch"/>, one row per split, and advances its current epoch, for
    /// the holder of <paramref name="leaseId"/>: throws <see cref="LeaseLostException"/>, storing nothing, when the
    /// trial no longer runs under it. A replayed report (a retry, or a resumed trial training the epoch again) replaces
    /// its rows instead of adding any.
    /// </summary>
    public async Task AppendAsync(Guid trialId, Guid leaseId, int epoch, IReadOnlyCollection<SplitMetrics> splits, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        Validate(splits);
        var now = clock.StorageNow();
        await contexts.InTransactionAsync(async (db, token) =>
        {
            await db.HoldLeaseAsync(trialId, leaseId, token);
            // Progress, not a status change: the version stays, so reports do not conflict with status changes.
            await db.Trials.Where(t => t.Id == trialId && t.CurrentEpoch < epoch)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CurrentEpoch, epoch).SetProperty(t => t.UpdatedAt, now), token);
            foreach (var metrics in splits)
            {
                string split = metrics.Split.LowerName();
                double[]? klPerDimension = metrics.KlPerDimension?.ToArray();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO epoch_metrics (trial_id, epoch, split, recon, kl, total, seconds, samples_per_second, kl_per_dimension, active_units, recorded_at)
                    VALUES ({trialId}, {epoch}, {split}, {metrics.Recon}, {metrics.Kl}, {metrics.Total}, {metrics.Seconds}, {metrics.SamplesPerSecond},
                        {klPerDimension}, {metrics.ActiveUnits}, {now})
                    ON CONFLICT (trial_id, epoch, split) DO UPDATE SET
                        recon = excluded.recon, kl = excluded.kl, total = excluded.total, seconds = excluded.seconds,
                        samples_per_second = excluded.samples_per_second, kl_per_dimension = excluded.kl_per_dimension,
                        active_units = excluded.active_units, recorded_at = excluded.recorded_at
                    """, token);
            }
        }, cancellationToken);
    }

    /// <summary>The trial's metrics by epoch, then split (by stored name: test before train).</summary>
    public async Task<IReadOnlyList<EpochMetricRecord>> ListAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EpochMetrics.AsNoTracking()
            .Where(m => m.TrialId == trialId)
            .OrderBy(m => m.Epoch).ThenBy(m => m.Split)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The metrics of each of <paramref name="trialIds"/> in one query, by trial, then epoch, then split; a trial without any is left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<EpochMetricRecord>>> ListAsync(IReadOnlyCollection<Guid> trialIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        var ids = trialIds.Distinct().ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.EpochMetrics.AsNoTracking()
            .Where(m => ids.Contains(m.TrialId))
            .OrderBy(m => m.TrialId).ThenBy(m => m.Epoch).ThenBy(m => m.Split)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(m => m.TrialId).ToDictionary(g => g.Key, g => (IReadOnlyList<EpochMetricRecord>)[.. g]);
    }

    private static void Validate(IReadOnlyCollection<SplitMetrics> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0) throw new ArgumentException("an epoch report needs the metrics of at least one split", nameof(splits));
        if (splits.DistinctBy(metrics => metrics.Split).Count() != splits.Count) throw new ArgumentException("an epoch report has each split once", nameof(splits));
        foreach (var metrics in splits)
        {
            string split = metrics.Split.LowerName();
            double[] values = [metrics.Recon, metrics.Kl, metrics.Total, metrics.Seconds, metrics.SamplesPerSecond, .. metrics.KlPerDimension ?? []];
            if (!values.All(double.IsFinite)) throw new ArgumentException($"the {split} metrics are not all finite: {metrics}", nameof(splits));
            if (metrics.KlPerDimension is null != metrics.ActiveUnits is null)
                throw new ArgumentException($"the {split} metrics have the KL per latent dimension and the active units together, or neither", nameof(splits));
            if (metrics is { KlPerDimension: { } dimensions, ActiveUnits: { } active } && (dimensions.Count == 0 || active < 0 || active > dimensions.Count))
                throw new ArgumentException($"the {split} metrics have {active} active units of {dimensions.Count} latent dimensions", nameof(splits));
        }
    }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Statistics;

/// <summary>Reads <see cref="ClusterStatistics"/>: a handful of grouped queries, cheap enough to run every few seconds.</summary>
public sealed class ClusterStatisticsQuery(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <param name="finishedSince">Sweeps that finished before this are left out.</param>
    /// <param name="endedSince">Trials that ended at or after this are listed in <see cref="ClusterStatistics.EndedTrials"/>.</param>
    public async Task<ClusterStatistics> ReadAsync(DateTime finishedSince, DateTime endedSince, CancellationToken cancellationToken = default)
    {
        var now = clock.StorageNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sweeps = await db.Sweeps
            .Where(s => s.Status == SweepStatus.Pending || s.Status == SweepStatus.Running || s.FinishedAt >= finishedSince)
            .Select(s => new { s.Id, s.Name })
            .ToListAsync(cancellationToken);
        var ids = sweeps.Select(s => s.Id).ToList();
        var counts = await db.Trials
            .Where(t => ids.Contains(t.SweepId))
            .GroupBy(t => new { t.SweepId, t.Status })
            .Select(g => new { g.Key.SweepId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var bytes = await (
                from checkpoint in db.Checkpoints
                join trial in db.Trials on checkpoint.TrialId equals trial.Id
                where ids.Contains(trial.SweepId)
                group checkpoint.SizeBytes by trial.SweepId into sweep
                select new { SweepId = sweep.Key, Bytes = sweep.Sum() })
            .ToListAsync(cancellationToken);
        int queueDepth = await db.Trials.CountAsync(t => t.Status == TrialStatus.Pending, cancellationToken);
        int activeLeases = await db.Trials.CountAsync(t => t.Status == TrialStatus.Running && t.LeaseExpiresAt >= now, cancellationToken);
        var ended = await db.Trials
            .Where(t => t.FinishedAt >= endedSince)
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);

        var bytesBySweep = bytes.ToDictionary(b => b.SweepId, b => b.Bytes);
        var countsBySweep = counts.ToLookup(c => c.SweepId);
        var perSweep = sweeps
            .Select(s => new SweepTrialCounts(
                s.Id,
                s.Name,
                countsBySweep[s.Id].ToDictionary(c => c.Status, c => c.Count),
                bytesBySweep.GetValueOrDefault(s.Id)))
            .ToList();
        return new ClusterStatistics(now, perSweep, queueDepth, activeLeases, ended);
    }
}

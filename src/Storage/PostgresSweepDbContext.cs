using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage;

/// <summary>The sweep store on PostgreSQL (Npgsql); its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresSweepDbContext(DbContextOptions<PostgresSweepDbContext> options) : SweepDbContext(options)
{
    // SKIP LOCKED lets concurrent lessees pass over a row another transaction is taking, so each gets a different trial
    // without waiting; the CAST gives the optional sweep parameter a type when it is null. The tag sets are a text[]
    // parameter, so the statement is the same whatever the worker's tags.
    internal override async Task<TrialRecord?> LockNextPendingTrialAsync(Guid? sweepId, IReadOnlyList<string> requiredTagsAllowed, CancellationToken cancellationToken)
    {
        string[] allowed = [.. requiredTagsAllowed];
        var trials = await Trials.FromSql($"""
            SELECT * FROM trials
            WHERE status = 'pending' AND (CAST({sweepId} AS uuid) IS NULL OR sweep_id = {sweepId}) AND required_tags = ANY({allowed})
            ORDER BY created_at, number
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        return trials.SingleOrDefault();
    }

    internal override Task<List<TrialRecord>> LockPendingTrialsAsync(Guid[] trialIds, CancellationToken cancellationToken) =>
        Trials.FromSql($"""
            SELECT * FROM trials
            WHERE id = ANY({trialIds}) AND status = 'pending'
            ORDER BY created_at, number
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
}

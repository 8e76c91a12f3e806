using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage;

/// <summary>The sweep store on PostgreSQL (Npgsql); its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresSweepDbContext(DbContextOptions<PostgresSweepDbContext> options) : SweepDbContext(options)
{
    // SKIP LOCKED lets concurrent lessees pass over a row another transaction is taking, so each gets a different trial
    // without waiting; the CAST gives the optional sweep parameter a type when it is null.
    internal override async Task<TrialRecord?> LockNextPendingTrialAsync(Guid? sweepId, CancellationToken cancellationToken)
    {
        var trials = await Trials.FromSql($"""
            SELECT * FROM trials
            WHERE status = 'pending' AND (CAST({sweepId} AS uuid) IS NULL OR sweep_id = {sweepId})
            ORDER BY created_at, number
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        return trials.SingleOrDefault();
    }
}

using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Logs;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// One attempt at a trial under its lease, whether it trains alone or packed: the lease's own heartbeat, the token that
/// stops it (lease lost, worker stopping), its calls retried through outages while the lease may hold, and its log.
/// </summary>
internal sealed class TrialAttempt : IDisposable
{
    private readonly LeaseHeartbeat heartbeat;
    private readonly CancellationTokenSource stop;

    public TrialAttempt(
        TrialLease lease, ISweepGrain sweep, ITrialSchedulerGrain scheduler, string slot, TimeSpan outageGrace, TrialLogStore logs, TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        Lease = lease;
        Sweep = sweep;
        heartbeat = new LeaseHeartbeat(scheduler, lease, clock, logger);
        stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, heartbeat.Lost);
        Retry = new LeaseBoundRetry(heartbeat, outageGrace, clock, slot, logger);
        Log = new AttemptLog(logs, lease, Retry, slot, logger);
    }

    public TrialLease Lease { get; }

    public ISweepGrain Sweep { get; }

    public LeaseBoundRetry Retry { get; }

    public AttemptLog Log { get; }

    /// <summary>Cancelled when the lease is lost or the worker stops: the trial is no longer this slot's to train or end.</summary>
    public CancellationToken Stopped => stop.Token;

    /// <summary>The slot is about to end the trial (<see cref="LeaseHeartbeat.Ending"/>).</summary>
    public void Ending() => heartbeat.Ending();

    public void Dispose()
    {
        stop.Dispose();
        heartbeat.Dispose();
    }
}

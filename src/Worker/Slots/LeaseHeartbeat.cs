using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// Renews a lease on a timer at a third of its length, off the training thread, through failed renewals too (an
/// outage); <see cref="Lost"/> is cancelled when the coordinator says the lease is gone (expired, sweep cancelled), so
/// training stops between batches.
/// </summary>
internal sealed partial class LeaseHeartbeat : IDisposable
{
    private readonly ITrialSchedulerGrain scheduler;
    private readonly TrialLease lease;
    private readonly ILogger logger;
    private readonly CancellationTokenSource lost = new();
    private readonly Timer timer;
    private readonly TimeSpan interval;
    private long expiresAtTicks;
    private volatile bool ending;

    public LeaseHeartbeat(ITrialSchedulerGrain scheduler, TrialLease lease, TimeProvider clock, ILogger logger)
    {
        this.scheduler = scheduler;
        this.lease = lease;
        this.logger = logger;
        expiresAtTicks = lease.ExpiresAt.Ticks;
        var length = lease.ExpiresAt - clock.GetUtcNow().UtcDateTime;
        interval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, length.Ticks / 3));
        timer = new Timer(_ => _ = BeatAsync(), null, interval, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Lost => lost.Token;

    /// <summary>When the lease runs out unless renewed (UTC): the lease's, then each renewal's.</summary>
    public DateTime ExpiresAt => new(Interlocked.Read(ref expiresAtTicks), DateTimeKind.Utc);

    /// <summary>
    /// The slot is ending the trial: a renewal refused from now on most likely crossed the end on its way (the
    /// coordinator ended the lease with the trial), which is no loss to warn of. A real loss fails the end itself.
    /// </summary>
    public void Ending() => ending = true;

    public void Dispose()
    {
        timer.Dispose();
        lost.Dispose();
    }

    private async Task BeatAsync()
    {
        try
        {
            var renewal = await scheduler.HeartbeatAsync(lease.TrialId, lease.LeaseId);
            if (!renewal.Held)
            {
                if (ending) LogEndedWhileRenewing(lease.SweepId, lease.Number);
                else LogLost(lease.SweepId, lease.Number);
                await lost.CancelAsync();
                return;
            }
            if (renewal.ExpiresAt is { } renewed) Interlocked.Exchange(ref expiresAtTicks, renewed.Ticks);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            // The coordinator or the store may be down: keep trying for as long as the slot keeps the trial. A lease past
            // its expiry is still renewed while no expiry pass has ended it, and none does during an outage or its grace.
            LogFailed(lease.SweepId, lease.Number, ex.Message);
        }
        try
        {
            timer.Change(interval, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The trial ended while the heartbeat was in flight.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of trial {Number} of sweep {SweepId} is lost; stopping it")]
    private partial void LogLost(Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lease of trial {Number} of sweep {SweepId} ended while its trial was being ended")]
    private partial void LogEndedWhileRenewing(Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of trial {Number} of sweep {SweepId} failed: {Reason}")]
    private partial void LogFailed(Guid sweepId, int number, string reason);
}

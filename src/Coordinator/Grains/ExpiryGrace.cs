using Microsoft.Extensions.Logging;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Resilience;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// Keeps the scheduler from ending leases that live workers could not renew: none is ended for a grace
/// (<see cref="CoordinatorOptions.LeaseGrace"/>) after the scheduler's activation (a restarted coordinator; its
/// workers were cut off from it) and after the end of a store outage seen by any of the scheduler's store calls (the
/// workers' renewals failed through it too). A call sees an outage when it fails with one, or when it takes longer
/// than <paramref name="slowCall"/>: PostgreSQL's retrying strategy holds a call through an outage shorter than its
/// retry budget and lets it succeed once the store is back, and that outage must not go unseen. While an outage
/// lasts, an expiry pass only asks the store whether it is back; the pass that finds it back starts the grace instead
/// of ending anything.
/// </summary>
internal sealed partial class ExpiryGrace(TimeSpan length, TimeSpan slowCall, TimeProvider clock, ILogger logger)
{
    private DateTimeOffset endsAt = DateTimeOffset.MinValue;
    private bool outage;

    /// <summary>Starts a grace of the configured length now; <paramref name="cause"/> says why, for its one log line.</summary>
    public void Start(string cause)
    {
        endsAt = clock.GetUtcNow() + length;
        LogGraceStarted(endsAt.UtcDateTime, length.TotalSeconds, cause);
    }

    /// <summary>
    /// One expiry pass: ends lapsed leases through <paramref name="expire"/> unless a grace holds or an outage was seen;
    /// after an outage, only <paramref name="countLapsed"/> asks the store, and the grace starts when it answers. Null
    /// when nothing was ended; an outage is recorded and logged once, never thrown.
    /// </summary>
    public async Task<ExpiredLeases?> PassAsync(
        Func<CancellationToken, Task<ExpiredLeases>> expire, Func<CancellationToken, Task<int>> countLapsed, CancellationToken cancellationToken)
    {
        try
        {
            if (outage)
            {
                int lapsed = await CallStoreAsync(countLapsed, cancellationToken);
                outage = false;
                Start($"the store is back after an outage; {lapsed} lapsed leases wait for their workers' heartbeats");
                return null;
            }
            if (clock.GetUtcNow() < endsAt) return null;
            return await CallStoreAsync(expire, cancellationToken);
        }
        catch (Exception ex) when (StoreOutages.IsOutage(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Runs one store call of the scheduler, watching it for an outage: a call that fails with one is recorded (and
    /// thrown), so that the grace starts when the store is back; one that succeeds slowly starts the grace at once.
    /// </summary>
    public async Task<T> CallStoreAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        long started = clock.GetTimestamp();
        T result;
        try
        {
            result = await call(cancellationToken);
        }
        catch (Exception ex) when (StoreOutages.IsOutage(ex))
        {
            if (!outage) LogOutage(ex.Message);
            outage = true;
            throw;
        }
        var took = clock.GetElapsedTime(started);
        if (took > slowCall && !outage) Start($"the store took {took.TotalSeconds:0.#} s to answer: an outage held the call");
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No lease expires before {EndsAt:HH:mm:ss} UTC ({GraceSeconds:0.#} s grace): {Cause}")]
    private partial void LogGraceStarted(DateTime endsAt, double graceSeconds, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is unreachable ({Reason}): no lease expires until it is back and a grace has passed")]
    private partial void LogOutage(string reason);
}

using Microsoft.Extensions.Logging;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Resilience;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// Keeps the scheduler from ending leases that live workers could not renew: none is ended for a grace
/// (<see cref="CoordinatorOptions.LeaseGrace"/>) after the scheduler's activation (a restarted coordinator; its
/// workers were cut off from it) and after the end of a store outage seen by any of the scheduler's store calls (the
/// workers' renewals failed through it too). While an outage lasts, an expiry pass only asks the store whether it is
/// back; the pass that finds it back starts the grace instead of ending anything.
/// </summary>
/// <param name="deadline">
/// How long one store call may take before it counts as an outage. PostgreSQL's retrying strategy would otherwise hold
/// a call through an outage shorter than its retry budget and succeed once the store is back: the outage would never
/// be seen, and the next pass would end the leases that lapsed during it.
/// </param>
internal sealed partial class ExpiryGrace(TimeSpan length, TimeSpan deadline, TimeProvider clock, ILogger logger)
{
    private DateTimeOffset endsAt = DateTimeOffset.MinValue;
    private bool outage;

    /// <summary>Starts a grace of the configured length now; <paramref name="cause"/> says why, for its one log line.</summary>
    public void Start(string cause)
    {
        endsAt = clock.GetUtcNow() + length;
        LogGraceStarted(endsAt.UtcDateTime, cause, length.TotalSeconds);
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
    /// Runs one store call of the scheduler with the deadline; an outage it meets (a <see cref="TimeoutException"/>
    /// past the deadline) is recorded, so that the grace starts when the store is back, and thrown.
    /// </summary>
    public async Task<T> CallStoreAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(deadline, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            RecordOutage($"no answer within {deadline.TotalSeconds:0.#} s");
            throw new TimeoutException($"the store did not answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (StoreOutages.IsOutage(ex))
        {
            RecordOutage(ex.Message);
            throw;
        }
    }

    private void RecordOutage(string reason)
    {
        if (outage) return;
        outage = true;
        LogOutage(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No lease expires before {EndsAt:HH:mm:ss} UTC ({GraceSeconds:0.#} s grace): {Cause}")]
    private partial void LogGraceStarted(DateTime endsAt, string cause, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is unreachable ({Reason}): no lease expires until it is back and a grace has passed")]
    private partial void LogOutage(string reason);
}

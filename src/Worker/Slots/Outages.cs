using SweepRunner.Storage.Resilience;

namespace SweepRunner.Worker.Slots;

/// <summary>Which exceptions mean that the coordinator or the store could not be reached, rather than a problem of the trial.</summary>
internal static class Outages
{
    /// <summary>
    /// True for Orleans' own failures (no gateway, connection lost, silo gone; a timed-out call is a
    /// <see cref="TimeoutException"/>) and for the store's outages (<see cref="StoreOutages"/>), here or inside a grain,
    /// whose exception reaches the caller. An exception thrown by training or by a grain's own logic is not an outage:
    /// it is the trial's.
    /// </summary>
    public static bool IsOutage(Exception exception) => StoreOutages.IsOutage(exception) || IsOrleansFailure(exception);

    private static bool IsOrleansFailure(Exception exception) =>
        exception is OrleansException || exception.InnerException is { } inner && IsOrleansFailure(inner);
}

using System.Data.Common;
using System.Net.Sockets;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Worker.Slots;

/// <summary>Which exceptions mean that the coordinator or the store could not be reached, rather than a problem of the trial.</summary>
internal static class Outages
{
    /// <summary>
    /// True for Orleans' own failures (no gateway, connection lost, silo gone, timed-out calls), an unreachable store
    /// (here or inside a grain, whose exception reaches the caller), and transient database errors however wrapped.
    /// An exception thrown by training or by a grain's own logic is not an outage: it is the trial's.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        OrleansException or TimeoutException or StorageUnavailableException or SocketException => true,
        DbException { IsTransient: true } => true,
        _ => exception.InnerException is { } inner && IsOutage(inner),
    };
}

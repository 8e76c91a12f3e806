using System.Data.Common;
using System.Net.Sockets;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Resilience;

/// <summary>Which exceptions mean that the store, or the network to it, could not be reached, rather than a problem of the call.</summary>
public static class StoreOutages
{
    /// <summary>
    /// True for an unreachable store, a transient database error, a socket error or a timeout, however wrapped (the
    /// retrying strategy wraps the last transient error it gave up on). A refused lease
    /// (<see cref="LeaseLostException"/>), a missing record or a bad argument is not an outage: trying again cannot help.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        TimeoutException or StorageUnavailableException or SocketException => true,
        DbException { IsTransient: true } => true,
        _ => exception.InnerException is { } inner && IsOutage(inner),
    };
}

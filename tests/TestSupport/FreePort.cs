using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SweepRunner.TestSupport;

/// <summary>A loopback TCP port nobody listens on right now (another process may still take it before we do).</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A coordinator process's environment with free silo and gateway ports (<c>Orleans__SiloPort</c>,
    /// <c>Orleans__GatewayPort</c>): the defaults, 11111 and 30000, may be another test's coordinator's.
    /// </summary>
    public static Dictionary<string, string> CoordinatorPorts() => new()
    {
        ["Orleans__SiloPort"] = Pick().ToString(CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = Pick().ToString(CultureInfo.InvariantCulture),
    };
}

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
}

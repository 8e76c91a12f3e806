using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SweepRunner.TestSupport;

/// <summary>
/// A loopback TCP port nobody listens on right now, for a process a test starts to listen on.
/// </summary>
/// <remarks>
/// The port is drawn below the kernel's ephemeral range (<c>ip_local_port_range</c>), not asked of the kernel with a
/// bind to port 0: a port from that range can be taken, before the process binds it, as the local end of any outgoing
/// connection on the machine (a test's own PostgreSQL or HTTP clients included), which made a coordinator fail to
/// start with "Address already in use". A port is never handed out twice in one test run, and one somebody listens on
/// is skipped.
/// </remarks>
public static class FreePort
{
    private const int LowestPort = 20000;
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    private static readonly HashSet<int> HandedOut = [];
    private static readonly int FirstEphemeralPort = ReadFirstEphemeralPort();

    public static int Pick()
    {
        lock (HandedOut)
        {
            // Where the ephemeral range leaves too little room below it, the kernel's choice is the best there is.
            if (FirstEphemeralPort - LowestPort < 1000) return HandOut(BoundByTheKernel());
            for (int attempt = 0; attempt < 200; attempt++)
            {
                int port = Random.Shared.Next(LowestPort, FirstEphemeralPort);
                if (!HandedOut.Contains(port) && IsFree(port)) return HandOut(port);
            }
            throw new InvalidOperationException($"no free loopback port in {LowestPort}–{FirstEphemeralPort - 1} after 200 tries");
        }
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

    private static int HandOut(int port)
    {
        HandedOut.Add(port);
        return port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int BoundByTheKernel()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int ReadFirstEphemeralPort()
    {
        const int LinuxDefault = 32768;
        if (!File.Exists(EphemeralRangeFile)) return LinuxDefault;
        var fields = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 0 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out int first) ? first : LinuxDefault;
    }
}

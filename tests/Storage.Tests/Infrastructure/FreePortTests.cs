using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SweepRunner.TestSupport;

namespace SweepRunner.Storage.Tests;

/// <summary>
/// The ports the tests' servers (PostgreSQL, Prometheus, coordinators) listen on come from below the kernel's ephemeral
/// range, where no outgoing connection can take them between the pick and the bind; none is handed out twice.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Picked_ports_are_distinct_free_and_below_the_ephemeral_range()
    {
        int firstEphemeral = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 100).Select(_ => FreePort.Pick()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20000, firstEphemeral - 1));
        Assert.All(ports, port =>
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        });
    }
}

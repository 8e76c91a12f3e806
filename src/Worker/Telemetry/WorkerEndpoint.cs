using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SweepRunner.Worker.Telemetry;

/// <summary>
/// The worker's own HTTP endpoint (metrics, health), once it listens: the address it announces for Prometheus to
/// scrape, <c>host:port</c> with the port actually bound (port 0 picks one at start).
/// </summary>
internal sealed class WorkerEndpoint(IServer server, string? advertisedHost)
{
    /// <summary>Null until the server listens.</summary>
    public string? Address
    {
        get
        {
            var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (bound is null || !Uri.TryCreate(bound.Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)) return null;
            return $"{HostFor(uri)}:{uri.Port}";
        }
    }

    /// <summary>The advertised host if set; the bound address when it is one others can dial; else this host's name.</summary>
    private string HostFor(Uri bound)
    {
        if (advertisedHost is not null) return advertisedHost;
        if (IPAddress.TryParse(bound.Host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
            return Dns.GetHostName();
        return bound.Host;
    }
}

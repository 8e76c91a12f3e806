using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Every address configuration makes Kestrel listen on, whichever way it is given: <c>urls</c> (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>), <c>http_ports</c> and <c>https_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>, …: every
/// address; Kestrel ignores them when <c>urls</c> is set), and the endpoints of <c>Kestrel:Endpoints:NAME:Url</c>
/// (<c>Kestrel__Endpoints__NAME__Url</c>). Kestrel binds its endpoints instead of <c>urls</c> unless told to prefer
/// them; both are returned, so that the access rule judges whatever might be bound.
/// </summary>
public static class ListenAddresses
{
    private const string EndpointsSection = "Kestrel:Endpoints";

    /// <summary>The configured addresses in Kestrel's syntax (<c>http://host:port</c>, <c>*</c> for any host); empty when none is configured.</summary>
    public static IReadOnlyList<string> From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>(Split(configuration[WebHostDefaults.ServerUrlsKey]));
        // As Kestrel reads the ports: each one on every address, unless urls are set (the .NET container images set
        // ASPNETCORE_HTTP_PORTS=8080, which --urls then overrides).
        if (addresses.Count == 0)
        {
            addresses.AddRange(Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}"));
            addresses.AddRange(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"));
        }
        addresses.AddRange(configuration.GetSection(EndpointsSection).GetChildren()
            .Select(endpoint => endpoint["Url"])
            .OfType<string>()
            .Where(url => url.Length > 0));
        return addresses;
    }

    private static string[] Split(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Refuses changes a web page asked for: a page on another site, open in the user's browser, can send requests to a
/// coordinator the user reaches (on loopback, or holding a session cookie), and its POST would submit or cancel sweeps.
/// Browsers say where a request comes from: <c>Origin</c> on every POST, PUT, PATCH and DELETE, and
/// <c>Sec-Fetch-Site</c>. Clients that are not browsers (the CLI, curl, scripts) send neither and are not affected.
/// </summary>
internal static class SameOrigin
{
    private const string FetchSiteHeader = "Sec-Fetch-Site";

    /// <summary>
    /// Why <paramref name="request"/> is refused, or null when it comes from the API's own origin (scheme, host and
    /// port of the request's Host), or not from a browser. On a server that listens on loopback only, the Host must name
    /// loopback too: a page whose own host name resolves to 127.0.0.1 (DNS rebinding) would otherwise be "same origin".
    /// </summary>
    public static string? Refusal(HttpRequest request, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        // same-site is refused too: a page of another port of the same host is same-site, and no less foreign.
        string? site = request.Headers[FetchSiteHeader];
        if (site is not null && !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase))
            return $"a change requested by a web page of another site ({FetchSiteHeader}: {site}) is refused";

        string own = $"{request.Scheme}://{request.Host.Value}";
        string? origin = request.Headers[HeaderNames.Origin];
        if (origin is not null && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            return $"a change requested by a web page of another origin (Origin: {origin}; this API is {own}) is refused";

        if (access.LoopbackOnly && !ApiAccess.IsLoopbackHost(request.Host.Host))
            return $"this API listens on loopback only, but the request names host {request.Host.Host}; use 127.0.0.1 or localhost";
        return null;
    }
}

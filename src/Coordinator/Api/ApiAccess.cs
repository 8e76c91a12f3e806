using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Who may do what through the API. Changes (submit, cancel, …): on a server that listens on loopback only, anyone who
/// can reach it (a local user); on one that listens on any other address, only a caller that presents the token. Reads:
/// anyone, unless <see cref="TokenRequiredForReads"/>. The token is presented as <c>Authorization: Bearer TOKEN</c>, or
/// by a browser as the session cookie that <c>POST /api/session</c> set (<see cref="ApiSessions"/>).
/// </summary>
public sealed class ApiAccess
{
    private readonly byte[]? tokenHash;

    private ApiAccess(bool loopbackOnly, string? token, bool tokenRequiredForReads)
    {
        LoopbackOnly = loopbackOnly;
        TokenRequiredForReads = tokenRequiredForReads;
        tokenHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether the server listens on loopback addresses only: then changes need no token.</summary>
    public bool LoopbackOnly { get; }

    /// <summary>Whether every read (<c>/api</c>, <c>/metrics</c>, <c>/openapi</c>) needs the token too (<c>Api:RequireTokenForReads</c>).</summary>
    public bool TokenRequiredForReads { get; }

    public bool HasToken => tokenHash is not null;

    /// <summary>Whether a change needs the token.</summary>
    public bool TokenRequiredForChanges => !LoopbackOnly;

    public ApiSessions Sessions { get; } = new(TimeProvider.System);

    /// <summary>
    /// The access for a server listening on <paramref name="urls"/>. Throws <see cref="ApiConfigurationException"/> for
    /// a server reachable from other hosts without a token (it would let anyone on the network start training jobs),
    /// and for reads that need a token that is not set.
    /// </summary>
    public static ApiAccess For(IReadOnlyCollection<string> urls, string? token, bool tokenRequiredForReads = false)
    {
        ArgumentNullException.ThrowIfNull(urls);
        token = string.IsNullOrWhiteSpace(token) ? null : token;
        var exposed = urls.Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count > 0 && token is null)
            throw new ApiConfigurationException(
                $"the API would listen on {string.Join(", ", exposed)}, which other hosts can reach; set a token (Api:Token or Api:TokenFile, environment Api__Token or Api__TokenFile) or listen on 127.0.0.1");
        if (tokenRequiredForReads && token is null)
            throw new ApiConfigurationException($"{CoordinatorApiHostingExtensions.RequireTokenForReadsKey} needs a token; set Api:Token or Api:TokenFile (environment Api__Token or Api__TokenFile)");
        return new ApiAccess(exposed.Count == 0, token, tokenRequiredForReads);
    }

    /// <summary>Whether <paramref name="candidate"/> is the token.</summary>
    public bool IsToken(string? candidate)
    {
        if (tokenHash is null || string.IsNullOrEmpty(candidate)) return false;
        // Hashes of equal length, compared in constant time: the answer must not tell how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), tokenHash);
    }

    /// <summary>Whether <paramref name="request"/> presents the token: as a bearer token, or as a live session's cookie.</summary>
    public bool IsAuthenticated(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string scheme = "Bearer ";
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return IsToken(authorization[scheme.Length..].Trim());
        return HasToken && Sessions.IsLive(request.Cookies[ApiSessions.CookieName]);
    }

    /// <summary>Whether <paramref name="request"/> may change things (the origin is checked apart: <see cref="SameOrigin"/>).</summary>
    public bool AllowsChange(HttpRequest request) => LoopbackOnly || IsAuthenticated(request);

    /// <summary>Whether <paramref name="request"/> may read.</summary>
    public bool AllowsRead(HttpRequest request) => !TokenRequiredForReads || IsAuthenticated(request);

    /// <summary>Whether <paramref name="url"/> (Kestrel's syntax: <c>http://host:port</c>, <c>*</c> or <c>+</c> for any) listens on loopback only.</summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException ex)
        {
            throw new ApiConfigurationException($"{url} is not a URL the API can listen on: {ex.Message}");
        }
        return IsLoopbackHost(address.Host);
    }

    /// <summary>Whether <paramref name="host"/> (a URL's or a Host header's, without the port) names this machine's loopback interface.</summary>
    public static bool IsLoopbackHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

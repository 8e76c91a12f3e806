using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Who may change things through the API (submit, cancel). On a server bound to loopback only, anyone who can reach it
/// (a local user); on one bound to any other address, only a caller presenting <c>Authorization: Bearer TOKEN</c>.
/// </summary>
public sealed class MutationAccess
{
    private readonly byte[]? token;

    private MutationAccess(bool loopbackOnly, string? token)
    {
        LoopbackOnly = loopbackOnly;
        this.token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);
    }

    public bool LoopbackOnly { get; }

    /// <summary>
    /// The access for a server listening on <paramref name="urls"/>. Throws <see cref="ApiConfigurationException"/> for
    /// a server reachable from other hosts without a token: it would let anyone on the network start training jobs.
    /// </summary>
    public static MutationAccess For(IReadOnlyCollection<string> urls, string? token)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var exposed = urls.Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count > 0 && string.IsNullOrWhiteSpace(token))
            throw new ApiConfigurationException(
                $"the API would listen on {string.Join(", ", exposed)}, which other hosts can reach; set a token (Api:Token, environment Api__Token) or listen on 127.0.0.1");
        return new MutationAccess(exposed.Count == 0, token);
    }

    /// <summary>Whether a call with this <c>Authorization</c> header may change things.</summary>
    public bool Allows(string? authorization)
    {
        if (LoopbackOnly) return true;
        const string scheme = "Bearer ";
        if (token is null || authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Constant time: the comparison must not tell an attacker how many leading characters were right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()), token);
    }

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
        string host = address.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

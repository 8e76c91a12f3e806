using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Browser sessions of the API: a browser presents the token once (<c>POST /api/session</c>) and then sends a cookie
/// holding a random session id instead, so that the token itself is never stored in the browser. Ids live in this
/// process's memory only: a restarted coordinator, or another one of the cluster, asks for the token again.
/// </summary>
public sealed class ApiSessions(TimeProvider clock)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "sweeprunner_session";

    /// <summary>How long a session lasts at most, whether or not the browser keeps its cookie that long.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>The most sessions kept: starting one more ends the oldest (only a token holder can start one).</summary>
    public const int MaxSessions = 1000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> expiries = new(StringComparer.Ordinal);

    /// <summary>Starts a session and returns its id, 256 random bits in hex.</summary>
    public string Start()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, expiry) in expiries.Where(pair => pair.Value <= now)) expiries.TryRemove(KeyValuePair.Create(id, expiry));
        while (expiries.Count >= MaxSessions && expiries.MinBy(pair => pair.Value) is { Key: not null } oldest) expiries.TryRemove(oldest);
        string session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        expiries[session] = now + Lifetime;
        return session;
    }

    /// <summary>Whether <paramref name="session"/> is the id of a session started here and not yet ended or expired.</summary>
    public bool IsLive(string? session) => session is not null && expiries.TryGetValue(session, out var expiry) && expiry > clock.GetUtcNow();

    /// <summary>Ends <paramref name="session"/>, if it is one.</summary>
    public void End(string? session)
    {
        if (session is not null) expiries.TryRemove(session, out _);
    }
}

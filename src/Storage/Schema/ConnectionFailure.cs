using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SweepRunner.Storage.Schema;

/// <summary>Tells a failure to reach or open the database apart from other errors, and says why in a few words.</summary>
internal static class ConnectionFailure
{
    // SQLite result codes: CANTOPEN, NOTADB, READONLY, AUTH.
    private static readonly int[] SqliteOpenErrors = [14, 26, 8, 23];

    /// <summary>Why the database could not be reached, or null when <paramref name="exception"/> is not about reaching it.</summary>
    public static string? Reason(Exception exception) => exception switch
    {
        // Class 28: login refused; 3D000: no such database; 57P03: the server is starting or shutting down.
        PostgresException postgres when postgres.SqlState.StartsWith("28", StringComparison.Ordinal) || postgres.SqlState is "3D000" or "57P03" => postgres.MessageText,
        PostgresException => null,
        NpgsqlException npgsql => npgsql.InnerException is SocketException or TimeoutException or IOException && npgsql.InnerException.Message != npgsql.Message
            ? $"{npgsql.Message} ({npgsql.InnerException.Message})"
            : npgsql.Message,
        SqliteException sqlite when SqliteOpenErrors.Contains(sqlite.SqliteErrorCode) => sqlite.Message,
        IOException or UnauthorizedAccessException => exception.Message,
        _ => null,
    };

    /// <summary>
    /// Whether the failure <paramref name="exception"/> (one <see cref="Reason"/> names) may pass by itself: no
    /// answer from a PostgreSQL server (down, restarting, network) or a server still starting up.
    /// </summary>
    public static bool MayComeUp(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == "57P03",
        NpgsqlException => true,
        _ => false,
    };
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SweepRunner.Storage.Connection;

/// <summary>
/// Sets SQLite's own busy timeout on every connection it opens. Without it a writer that finds the file locked by
/// another (a slot leasing while a sweep is created) gets SQLITE_BUSY at once and Microsoft.Data.Sqlite retries after a
/// fixed 150 ms sleep; with it SQLite waits in its own steps of a few milliseconds and goes on as soon as the lock is
/// free. Either way a write gives up only after the timeout.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    /// <summary>As Microsoft.Data.Sqlite's default command timeout: how long a write waits for the lock before it fails.</summary>
    private const int TimeoutMilliseconds = 30_000;

    private SqliteBusyTimeout()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = CreateCommand(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand CreateCommand(DbConnection connection)
    {
        var command = connection.CreateCommand();
        // A constant: no value from outside ever reaches this text.
        command.CommandText = $"PRAGMA busy_timeout = {TimeoutMilliseconds}";
        return command;
    }
}

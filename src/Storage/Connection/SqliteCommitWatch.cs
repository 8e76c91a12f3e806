using Microsoft.Data.Sqlite;

namespace SweepRunner.Storage.Connection;

/// <summary>
/// Tells whether anything was committed to a SQLite store since the last look, for a reader that follows the store
/// (<c>sweep run</c>'s live table). It reads SQLite's <c>data_version</c> on a connection of its own that never
/// writes: the number changes with every commit of any other connection, in this process or another. A look costs one
/// pragma on an open connection, where reading the store itself takes several queries through EF Core.
/// </summary>
public sealed class SqliteCommitWatch : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand dataVersion;
    private long seen;

    private SqliteCommitWatch(SqliteConnection connection)
    {
        this.connection = connection;
        dataVersion = connection.CreateCommand();
        dataVersion.CommandText = "PRAGMA data_version";
        seen = Read();
    }

    /// <summary>Opens the watch on <paramref name="store"/>, a SQLite store whose schema is in place; commits from then on count.</summary>
    public static SqliteCommitWatch Open(StorageConnection store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Provider != StorageProvider.Sqlite) throw new ArgumentException($"only a SQLite store can be watched for commits, not {store.Description}", nameof(store));
        // Not from the pool: data_version counts the commits of the connections other than its own, so this one must
        // never have been, nor be, a writer's.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        try
        {
            connection.Open();
            return new SqliteCommitWatch(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether another connection committed since the watch opened or since the last call that said so.</summary>
    public bool Changed()
    {
        long now = Read();
        if (now == seen) return false;
        seen = now;
        return true;
    }

    public void Dispose()
    {
        dataVersion.Dispose();
        connection.Dispose();
    }

    private long Read() => (long)dataVersion.ExecuteScalar()!;
}

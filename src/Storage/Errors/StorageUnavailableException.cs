using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Errors;

/// <summary>The database could not be reached or opened: server down, wrong port, login refused, unwritable file.</summary>
public sealed class StorageUnavailableException(StorageConnection connection, string reason, bool mayComeUp, Exception innerException)
    : StorageException($"cannot reach the {connection.Description}: {reason}", innerException)
{
    public StorageConnection Connection { get; } = connection;

    /// <summary>Why, in a few words (the server's or the socket's message).</summary>
    public string Reason { get; } = reason;

    /// <summary>
    /// True when trying again later may succeed: a PostgreSQL server that did not answer or is starting up. False when
    /// it answered and refused (login, no such database), or for a SQLite file: that is configuration.
    /// </summary>
    public bool MayComeUp { get; } = mayComeUp;
}

using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Errors;

/// <summary>The database could not be reached or opened: server down, wrong port, login refused, unwritable file.</summary>
public sealed class StorageUnavailableException(StorageConnection connection, string reason, Exception innerException)
    : StorageException($"cannot reach the {connection.Description}: {reason}", innerException);

namespace SweepRunner.Storage.Errors;

/// <summary>The row changed since the caller read it (its version is no longer the expected one); re-read and decide again.</summary>
public sealed class ConcurrencyConflictException(string what, Guid id, int expectedVersion)
    : StorageException($"{what} {id} changed since version {expectedVersion}; read it again");

namespace SweepRunner.Storage.Errors;

/// <summary>
/// This process must not use the store: it belongs to another cluster, or it was written by an incompatible version.
/// The message names both sides and what to do; starting again would fail the same way.
/// </summary>
public sealed class IncompatibleStoreException(string message) : StorageException(message);

namespace SweepRunner.Storage.Errors;

/// <summary>
/// Stored bytes (a checkpoint, a figure) no longer match the SHA-256 taken when they were stored: they are never
/// handed out. <c>what</c> names them, e.g. "checkpoint of trial T, epoch 3".
/// </summary>
public sealed class StorageIntegrityException(string what, string expectedSha256, string actualSha256)
    : StorageException($"{what} is corrupt: SHA-256 {actualSha256}, stored as {expectedSha256}");

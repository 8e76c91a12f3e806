namespace SweepRunner.Storage;

/// <summary>A stored checkpoint's bytes do not match the SHA-256 taken when it was stored.</summary>
public sealed class CheckpointIntegrityException(Guid trialId, int epoch, string expectedSha256, string actualSha256)
    : StorageException($"checkpoint of trial {trialId}, epoch {epoch} is corrupt: SHA-256 {actualSha256}, stored as {expectedSha256}");

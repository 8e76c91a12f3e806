namespace SweepRunner.Storage.Checkpoints;

/// <summary>A stored checkpoint without its bytes: which epoch, its SHA-256 (lower-case hex) and its size.</summary>
public sealed record CheckpointInfo(int Epoch, string Sha256, long SizeBytes);

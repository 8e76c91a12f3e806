namespace SweepRunner.Storage.Records;

/// <summary>A row of <c>checkpoints</c>: a trial's saved state after one epoch, with the SHA-256 it is verified against on read.</summary>
public sealed class CheckpointRecord
{
    public Guid TrialId { get; set; }

    public int Epoch { get; set; }

    public required byte[] Bytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Bytes"/>, taken when it was stored.</summary>
    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public DateTime CreatedAt { get; set; }
}

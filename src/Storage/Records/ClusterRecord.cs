namespace SweepRunner.Storage.Records;

/// <summary>
/// The single row of <c>cluster</c>: the Orleans cluster the store belongs to, written by the first coordinator that
/// starts on it, and the version of the coordinator that started last. Timestamps are UTC.
/// </summary>
public sealed class ClusterRecord
{
    public const int SingleRowId = 1;

    /// <summary>The row's key: always <see cref="SingleRowId"/>, so that a second row cannot be inserted.</summary>
    public int Id { get; set; }

    public required string ClusterId { get; set; }

    /// <summary>The product version (informational version) of the coordinator that started last.</summary>
    public required string CoordinatorVersion { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

namespace SweepRunner.Storage.Records;

/// <summary>A row of <c>trials</c>: one configuration of a sweep, its lease while it runs, and its final metrics. Timestamps are UTC.</summary>
public sealed class TrialRecord
{
    public Guid Id { get; set; }

    public Guid SweepId { get; set; }

    /// <summary>1, 2, … in the order the trials were added to the sweep.</summary>
    public int Number { get; set; }

    /// <summary>The trial's configuration as canonical JSON, opaque to the storage.</summary>
    public required string ConfigJson { get; set; }

    /// <summary>Hash of <see cref="ConfigJson"/> computed by the caller; unique within a sweep.</summary>
    public required string ConfigHash { get; set; }

    public TrialStatus Status { get; set; }

    /// <summary>The attempt the trial is on: 1 at first, one more each time an expired lease puts it back in the queue.</summary>
    public int Attempt { get; set; }

    public Guid? LeaseId { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The worker that ran the trial last; kept after its lease ends.</summary>
    public string? Worker { get; set; }

    /// <summary>The last epoch whose metrics were reported (0: none).</summary>
    public int CurrentEpoch { get; set; }

    public double? TestTotal { get; set; }

    public double? TestRecon { get; set; }

    public double? TestKl { get; set; }

    public double? IwaeNll { get; set; }

    public int? ActiveUnits { get; set; }

    public string? FailureReason { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic-concurrency token, incremented by every status change.</summary>
    public int Version { get; set; }
}

using SweepRunner.Common;

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

    /// <summary>
    /// The worker tags the trial requires, <see cref="WorkerTags.Join"/>ed (<c>big-mem,gpu</c>); empty: any worker may
    /// lease it. Fixed when the trial is added.
    /// </summary>
    public string RequiredTags { get; set; } = "";

    public TrialStatus Status { get; set; }

    /// <summary>
    /// The attempt the trial is on: 1 at first, one more each time it goes back in the queue (an expired lease or an
    /// error in training), whichever budget that counts against.
    /// </summary>
    public int Attempt { get; set; }

    /// <summary>Attempts that failed in training (an error, or divergence): counted against the coordinator's <c>MaxAttempts</c>.</summary>
    public int ModelFailures { get; set; }

    /// <summary>Attempts lost to the infrastructure (their lease expired): counted against <c>InfrastructureAttempts</c>, never against <c>MaxAttempts</c>.</summary>
    public int InfrastructureLosses { get; set; }

    public Guid? LeaseId { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>When the current attempt's lease began (kept after it ends): where the trial timeout counts from.</summary>
    public DateTime? LeasedAt { get; set; }

    /// <summary>The worker that ran the trial last; kept after its lease ends.</summary>
    public string? Worker { get; set; }

    /// <summary>The last epoch whose metrics were reported (0: none).</summary>
    public int CurrentEpoch { get; set; }

    public double? TestTotal { get; set; }

    public double? TestRecon { get; set; }

    public double? TestKl { get; set; }

    public double? IwaeNll { get; set; }

    public int? ActiveUnits { get; set; }

    /// <summary>What went wrong, in words: set when the trial fails, and kept from an error that put it back in the queue.</summary>
    public string? FailureReason { get; set; }

    /// <summary>Why the trial failed; null unless it did.</summary>
    public FailureClass? FailureClass { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic-concurrency token, incremented by every status change.</summary>
    public int Version { get; set; }
}

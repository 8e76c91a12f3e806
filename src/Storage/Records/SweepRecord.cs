using SweepRunner.Common;

namespace SweepRunner.Storage.Records;

/// <summary>A row of <c>sweeps</c>: one submitted sweep spec and where it stands. Timestamps are UTC.</summary>
public sealed class SweepRecord
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The spec as submitted, so that a sweep can be shown and re-run exactly.</summary>
    public required string SpecYaml { get; set; }

    /// <summary>
    /// The spec as parsed, in its canonical JSON form (the coordinator's <c>SweepSpecJson</c>; opaque here), which the
    /// coordinator reads instead of parsing the YAML again. Null for a sweep stored before the column existed, until
    /// the coordinator fills it in (<see cref="SweepStore.SetSpecCanonicalAsync"/>).
    /// </summary>
    public string? SpecCanonical { get; set; }

    /// <summary>grid, random or a model-based method; validated by the spec parser, not here.</summary>
    public required string Method { get; set; }

    public required string MetricName { get; set; }

    public MetricGoal MetricGoal { get; set; }

    public SweepStatus Status { get; set; }

    /// <summary>
    /// The most trials the sweep may have (its spec's <c>run_cap</c>); null: no limit. The store trims trials added
    /// beyond it, whatever the caller proposes. Null also for a sweep stored before the column existed, until the
    /// coordinator fills it in (<see cref="SweepStore.SetRunCapAsync"/>).
    /// </summary>
    public int? RunCap { get; set; }

    /// <summary>
    /// How long one attempt of the sweep's trials may run (its spec's <c>trial_timeout</c>) before it fails, class
    /// timeout; it overrides the coordinator's limit. Null: the coordinator's limit, if it has one.
    /// </summary>
    public TimeSpan? TrialTimeout { get; set; }

    /// <summary>How many trials the sweep has; also numbers the trials added next.</summary>
    public int TrialCount { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Optimistic-concurrency token, incremented by every status change.</summary>
    public int Version { get; set; }
}

namespace SweepRunner.Storage;

/// <summary>A row of <c>sweeps</c>: one submitted sweep spec and where it stands. Timestamps are UTC.</summary>
public sealed class SweepRecord
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The spec as submitted, so that a sweep can be shown and re-run exactly.</summary>
    public required string SpecYaml { get; set; }

    /// <summary>grid, random or a model-based method; validated by the spec parser, not here.</summary>
    public required string Method { get; set; }

    public required string MetricName { get; set; }

    public MetricGoal MetricGoal { get; set; }

    public SweepStatus Status { get; set; }

    /// <summary>How many trials the sweep has; also numbers the trials added next.</summary>
    public int TrialCount { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Optimistic-concurrency token, incremented by every status change.</summary>
    public int Version { get; set; }
}

using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Statistics;

/// <summary>
/// What the store says about the cluster's work at <see cref="At"/>: the trials of every sweep that runs or finished
/// recently, by status, with the bytes of their checkpoints; the queue; the live leases; the trials ended lately.
/// </summary>
public sealed record ClusterStatistics(
    DateTime At,
    IReadOnlyList<SweepTrialCounts> Sweeps,
    int QueueDepth,
    int ActiveLeases,
    IReadOnlyList<Guid> EndedTrials);

/// <summary>One sweep's trials by status and the bytes its checkpoints take.</summary>
public sealed record SweepTrialCounts(Guid SweepId, string Name, IReadOnlyDictionary<TrialStatus, int> Trials, long CheckpointBytes);

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// Which of a trial's per-epoch checkpoints stay stored (<c>checkpoints: {keep: …}</c> in a sweep file). Whatever the
/// choice, a trial's latest checkpoint stays: it is what a trial resumes from and what a client downloads.
/// </summary>
public enum CheckpointKeep
{
    /// <summary>Only the latest checkpoint.</summary>
    Latest,

    /// <summary>The latest and the one of the trial's best epoch by the sweep's metric, when that metric is per epoch.</summary>
    Best,

    /// <summary>Every epoch's checkpoint.</summary>
    All,
}

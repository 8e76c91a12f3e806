using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Sweeps;

/// <summary>A sweep and how many of its trials are in each status (every status present, 0 where none).</summary>
public sealed record SweepStatusReport(SweepRecord Sweep, IReadOnlyDictionary<TrialStatus, int> TrialsByStatus)
{
    public int this[TrialStatus status] => TrialsByStatus[status];
}

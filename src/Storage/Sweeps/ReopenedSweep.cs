using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Sweeps;

/// <summary>A sweep re-opened by <see cref="SweepStore.ReopenAsync"/>, running again, and the trials it put back in the queue.</summary>
public sealed record ReopenedSweep(SweepRecord Sweep, IReadOnlyList<Guid> ReopenedTrialIds);

namespace SweepRunner.Contracts.Grains;

/// <summary>Where a sweep stands, as its grain sees it: status (lower-case name) and trial counts.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.sweep-snapshot")]
public sealed record SweepSnapshot(
    [property: Id(0)] Guid SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] int Trials,
    [property: Id(4)] int OpenTrials);

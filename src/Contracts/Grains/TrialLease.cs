namespace SweepRunner.Contracts.Grains;

/// <summary>A trial handed to a worker: what to train (<see cref="ConfigJson"/>, canonical JSON of the trial config) and the lease it holds it under.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.trial-lease")]
public sealed record TrialLease(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid SweepId,
    [property: Id(2)] int Number,
    [property: Id(3)] int Attempt,
    [property: Id(4)] Guid LeaseId,
    [property: Id(5)] DateTime ExpiresAt,
    [property: Id(6)] string ConfigJson);

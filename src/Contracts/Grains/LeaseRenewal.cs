namespace SweepRunner.Contracts.Grains;

/// <summary>The answer to a heartbeat: the lease's new expiry, or that the lease is gone and the worker must stop.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.lease-renewal")]
public sealed record LeaseRenewal([property: Id(0)] bool Held, [property: Id(1)] DateTime? ExpiresAt)
{
    public static LeaseRenewal Lost { get; } = new(false, null);
}

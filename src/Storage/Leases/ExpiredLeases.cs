namespace SweepRunner.Storage.Leases;

/// <summary>What one sweep of expired leases did: trials put back in the queue, and trials failed for running out of attempts.</summary>
public sealed record ExpiredLeases(int Requeued, int Failed);

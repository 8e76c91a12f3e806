namespace SweepRunner.Storage.Leases;

/// <summary>
/// What one pass over running trials did: trials whose lease expired put back in the queue, trials failed for losing
/// their worker once too often (class infrastructure), and trials failed for running past the trial timeout.
/// </summary>
public sealed record ExpiredLeases(int Requeued, int Failed, int TimedOut);

namespace SweepRunner.Contracts.Grains;

/// <summary>
/// The work queue seen by workers (one per cluster, key <see cref="Key"/>): leases pending trials, renews leases, and
/// on a timer puts the trials of expired leases back in the queue on their next attempt.
/// </summary>
[Alias("sweeprunner.trial-scheduler")]
public interface ITrialSchedulerGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// The oldest pending trial of any running sweep that a worker carrying <paramref name="tags"/> may train (every
    /// tag it requires among them; null or none: only trials that require no tag), leased to <paramref name="worker"/>;
    /// null when there is none.
    /// </summary>
    [Alias("lease-tagged")]
    Task<TrialLease?> LeaseAsync(string worker, IReadOnlyList<string>? tags = null);

    /// <summary>
    /// The trial <see cref="LeaseAsync"/> would lease and, when its sweep says <c>packing: auto</c> and it starts afresh,
    /// up to <paramref name="maxTrials"/> − 1 more pending trials of that sweep that pack with it
    /// (<see cref="Sweeps.TrialPacking"/>), each with its own lease; empty when none is pending.
    /// </summary>
    [Alias("lease-group")]
    Task<IReadOnlyList<TrialLease>> LeaseGroupAsync(string worker, IReadOnlyList<string>? tags, int maxTrials);

    /// <summary>Extends a lease; <see cref="LeaseRenewal.Held"/> is false when it was lost (expired, trial cancelled).</summary>
    [Alias("heartbeat")]
    Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId);

    /// <summary>Ends every lease that has run out now (the timer does this periodically); returns how many trials went back in the queue.</summary>
    [Alias("expire-leases")]
    Task<int> ExpireLeasesAsync();
}

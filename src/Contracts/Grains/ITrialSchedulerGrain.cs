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

    /// <summary>Extends a lease; <see cref="LeaseRenewal.Held"/> is false when it was lost (expired, trial cancelled).</summary>
    [Alias("heartbeat")]
    Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId);

    /// <summary>Ends every lease that has run out now (the timer does this periodically); returns how many trials went back in the queue.</summary>
    [Alias("expire-leases")]
    Task<int> ExpireLeasesAsync();
}

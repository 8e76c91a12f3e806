namespace SweepRunner.Storage.Leases;

/// <summary>
/// Which trials may be leased together to train packed, for <see cref="TrialLeases.LeaseGroupAsync"/>. The rule reads
/// the sweep's spec and the trials' configs, which the store keeps opaque, so its caller supplies it.
/// </summary>
/// <param name="SweepPacks">Whether the sweep of this stored spec (<see cref="Records.SweepRecord.SpecCanonical"/>, null for an old sweep) packs its trials.</param>
/// <param name="KeyOf">The packing key of a trial's config: trials with equal keys pack; null, the trial trains alone.</param>
public sealed record TrialPackingRule(Func<string?, bool> SweepPacks, Func<string, string?> KeyOf);

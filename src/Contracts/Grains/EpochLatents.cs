namespace SweepRunner.Contracts.Grains;

/// <summary>
/// The test split's latent dimensions after an epoch: the mean KL of each, and how many are active units (the variance
/// over the split of the posterior mean E_q[z_d|x] above 0.01).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.epoch-latents")]
public sealed record EpochLatents([property: Id(0)] IReadOnlyList<double> KlPerDimension, [property: Id(1)] int ActiveUnits);

using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Grains;

/// <summary>Per-sample averages over one split after an epoch: negative ELBO (total), reconstruction, KL.</summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.epoch-losses")]
public sealed record EpochLosses([property: Id(0)] double Total, [property: Id(1)] double Recon, [property: Id(2)] double Kl)
{
    public double Of(LossTerm term) => term.Pick(Total, Recon, Kl);
}

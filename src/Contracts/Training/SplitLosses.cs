using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Training;

/// <summary>Per-sample averages over one split: negative ELBO (total), reconstruction, KL.</summary>
public sealed record SplitLosses(double Total, double Recon, double Kl)
{
    public double Of(LossTerm term) => term.Pick(Total, Recon, Kl);
}

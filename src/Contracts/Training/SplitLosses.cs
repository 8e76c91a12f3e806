namespace SweepRunner.Contracts.Training;

/// <summary>Per-sample averages over one split: negative ELBO (total), reconstruction, KL.</summary>
public sealed record SplitLosses(double Total, double Recon, double Kl);

namespace SweepRunner.Plotting;

/// <summary>Per-sample averages over one split: negative ELBO (total), reconstruction, KL.</summary>
public sealed record SplitMetrics(double Total, double Recon, double Kl);

namespace SweepRunner.Storage;

/// <summary>One split's losses after an epoch, and how long it took.</summary>
public sealed record SplitMetrics(MetricSplit Split, double Recon, double Kl, double Total, double Seconds, double SamplesPerSecond);

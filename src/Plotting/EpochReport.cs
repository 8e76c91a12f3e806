namespace SweepRunner.Plotting;

/// <summary>What one finished epoch produced: train metrics (running over the epoch), test metrics, timing.</summary>
public sealed record EpochReport(int Epoch, SplitMetrics Train, SplitMetrics Test, double Seconds, double SamplesPerSecond);

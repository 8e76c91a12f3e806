namespace SweepRunner.Contracts.Training;

/// <summary>
/// What one finished epoch produced: train metrics (running over the epoch), test metrics, timing, and the test split's
/// latent statistics, measured in the same test pass (null for the epochs of a checkpoint written before epochs
/// carried them, and where an epoch is rebuilt from stored losses alone).
/// </summary>
public sealed record EpochReport(int Epoch, SplitLosses Train, SplitLosses Test, double Seconds, double SamplesPerSecond, LatentStatistics? TestLatents = null);

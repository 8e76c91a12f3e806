using SweepRunner.Common;

namespace SweepRunner.Storage.Metrics;

/// <summary>
/// One split's losses after an epoch, and how long it took; for the test split also its latent dimensions: the mean KL
/// of each and how many are active units (both or neither).
/// </summary>
public sealed record SplitMetrics(
    MetricSplit Split,
    double Recon,
    double Kl,
    double Total,
    double Seconds,
    double SamplesPerSecond,
    IReadOnlyList<double>? KlPerDimension = null,
    int? ActiveUnits = null);

namespace SweepRunner.Models.Training;

/// <summary>
/// End-of-run measurements on the test set: KL per latent dimension, the variance of E[z|x] per dimension
/// and the active units (variance above 0.01), and the IWAE estimate of −log p(x) in nats.
/// </summary>
public sealed record LatentAnalysis(
    IReadOnlyList<double> KlPerDimension,
    IReadOnlyList<double> MeanVariancePerDimension,
    int ActiveUnits,
    double IwaeNll,
    int IwaeSamples,
    int IwaeExamples);

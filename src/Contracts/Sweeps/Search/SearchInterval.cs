namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// The interval a TPE Parzen estimator works on for one numeric parameter: <see cref="Low"/>..<see cref="High"/> set the
/// kernel widths; kernels are truncated to it only when <see cref="Truncated"/> (not for the normal kinds, which are unbounded).
/// </summary>
internal sealed record SearchInterval(double Low, double High, double PriorMean, double PriorSigma, bool Truncated)
{
    public double Width => High - Low;

    /// <summary>A uniform prior over [low, high], as Optuna's: a Gaussian centred on the middle, as wide as the interval.</summary>
    public static SearchInterval Bounded(double low, double high) => new(low, high, (low + high) / 2, high - low, Truncated: true);

    public static SearchInterval Unbounded(double mean, double sigma) => new(mean - (3 * sigma), mean + (3 * sigma), mean, sigma, Truncated: false);

    public double Clamp(double point) => Truncated ? Math.Clamp(point, Low, High) : point;
}

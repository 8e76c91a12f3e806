namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// Optuna's univariate Parzen estimator for a numeric parameter: a Gaussian per observation, plus one for the prior,
/// each as wide as the larger gap to its neighbours (clipped to [width / min(100, 1 + kernels), width]), truncated to
/// the interval when it is bounded; older observations weigh less once there are more than 25.
/// </summary>
internal sealed class ParzenEstimator : IParzenEstimator<double>
{
    private readonly SearchInterval interval;
    private readonly double[] weights;
    private readonly double[] means;
    private readonly double[] sigmas;
    private readonly double[] logNormalizers;

    /// <param name="observations">Values in <paramref name="interval"/>'s coordinates, oldest first.</param>
    public ParzenEstimator(IReadOnlyList<double> observations, SearchInterval interval)
    {
        this.interval = interval;
        means = [.. observations, interval.PriorMean];
        weights = Normalize([.. ObservationWeights(observations.Count), 1.0]);
        sigmas = KernelWidths(means, interval);
        sigmas[^1] = interval.PriorSigma;
        logNormalizers = [.. means.Zip(sigmas, LogNormalizer)];
    }

    public double Sample(Random random)
    {
        int kernel = WeightedChoice.Pick(weights, random);
        while (true)
        {
            double value = means[kernel] + (sigmas[kernel] * StandardNormal.Sample(random));
            // Kernels are centred inside the interval and at most as wide as it, so more than a third of draws land in it.
            if (!interval.Truncated || (value >= interval.Low && value <= interval.High)) return value;
        }
    }

    public double LogDensity(double value)
    {
        var terms = new double[means.Length];
        for (int k = 0; k < means.Length; k++)
        {
            terms[k] = Math.Log(weights[k]) + StandardNormal.LogPdf((value - means[k]) / sigmas[k]) - Math.Log(sigmas[k]) - logNormalizers[k];
        }

        double max = terms.Max();
        return max + Math.Log(terms.Sum(term => Math.Exp(term - max)));
    }

    /// <summary>Optuna's default_weights: all 1 up to 25 observations, then a ramp from 1/n for the older ones.</summary>
    internal static double[] ObservationWeights(int count)
    {
        const int Flat = 25;
        if (count <= Flat) return [.. Enumerable.Repeat(1.0, count)];
        int ramp = count - Flat;
        double start = 1.0 / count;
        return [.. Enumerable.Range(0, ramp).Select(i => ramp == 1 ? start : start + ((1.0 - start) * i / (ramp - 1))), .. Enumerable.Repeat(1.0, Flat)];
    }

    internal static double[] Normalize(double[] weights)
    {
        double total = weights.Sum();
        return [.. weights.Select(weight => weight / total)];
    }

    private static double[] KernelWidths(double[] means, SearchInterval interval)
    {
        var order = Enumerable.Range(0, means.Length).OrderBy(i => means[i]).ToArray();
        double[] points = [interval.Low, .. order.Select(i => means[i]), interval.High];
        var widths = new double[means.Length];
        for (int rank = 0; rank < order.Length; rank++)
        {
            double gap = Math.Max(points[rank + 1] - points[rank], points[rank + 2] - points[rank + 1]);
            // Optuna leaves the interval's ends out: the outermost kernels take the gap to their inner neighbour.
            if (order.Length >= 2 && rank == 0) gap = points[2] - points[1];
            if (order.Length >= 2 && rank == order.Length - 1) gap = points[^2] - points[^3];
            widths[order[rank]] = Math.Clamp(gap, interval.Width / Math.Min(100.0, 1.0 + means.Length), interval.Width);
        }

        return widths;
    }

    private double LogNormalizer(double mean, double sigma) => interval.Truncated
        ? Math.Log(StandardNormal.Cdf((interval.High - mean) / sigma) - StandardNormal.Cdf((interval.Low - mean) / sigma))
        : 0.0;
}

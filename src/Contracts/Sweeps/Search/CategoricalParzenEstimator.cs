namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// Optuna's Parzen estimator for a categorical parameter: each observation is a kernel with weight 1 on its category
/// plus an even share of the prior's weight over all categories; the prior is one more kernel. The mixture is a
/// smoothed, recency-weighted histogram.
/// </summary>
internal sealed class CategoricalParzenEstimator : IParzenEstimator<int>
{
    private readonly double[] probabilities;

    /// <param name="observations">Category indices, oldest first.</param>
    /// <param name="prior">Probability of each category before any observation.</param>
    public CategoricalParzenEstimator(IReadOnlyList<int> observations, IReadOnlyList<double> prior)
    {
        int kernels = observations.Count + 1;
        var mixture = ParzenEstimator.Normalize([.. ParzenEstimator.ObservationWeights(observations.Count), 1.0]);
        probabilities = new double[prior.Count];
        for (int k = 0; k < kernels; k++)
        {
            var kernel = prior.Select(p => p * prior.Count / kernels).ToArray();
            if (k < observations.Count) kernel[observations[k]] += 1;
            double total = kernel.Sum();
            for (int c = 0; c < kernel.Length; c++) probabilities[c] += mixture[k] * kernel[c] / total;
        }
    }

    public int Sample(Random random) => WeightedChoice.Pick(probabilities, random);

    public double LogDensity(int value) => Math.Log(probabilities[value]);
}

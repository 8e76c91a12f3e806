using TorchSharp;
using static TorchSharp.torch;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Models.Training;

/// <summary>
/// Sums, over the batches of one pass, what <see cref="LatentStatistics"/> is made of: per latent dimension the KL, and
/// the first and second moments of the posterior mean. One small copy off the device per batch.
/// </summary>
internal sealed class LatentMoments(int latentDim)
{
    private readonly double[] klSums = new double[latentDim];
    private readonly double[] meanSums = new double[latentDim];
    private readonly double[] meanSquareSums = new double[latentDim];
    private long count;

    /// <param name="mean">E_q[z|x] of a batch, [B, latent].</param>
    /// <param name="klPerDimension">The batch's KL per sample and dimension, [B, latent].</param>
    public void Add(Tensor mean, Tensor klPerDimension)
    {
        using var scope = NewDisposeScope();
        using var two = 2.ToScalar();
        // In float64 before squaring: the variance is a difference of two moments, where float32 would lose digits.
        var means = mean.to_type(ScalarType.Float64);
        var sums = stack([klPerDimension.to_type(ScalarType.Float64).sum([0L]), means.sum([0L]), means.pow(two).sum([0L])]).cpu();
        var values = sums.data<double>().ToArray();
        for (int d = 0; d < latentDim; d++)
        {
            klSums[d] += values[d];
            meanSums[d] += values[latentDim + d];
            meanSquareSums[d] += values[(2 * latentDim) + d];
        }
        count += mean.shape[0];
    }

    /// <summary>Per-sample averages over everything added.</summary>
    public LatentStatistics Statistics()
    {
        if (count == 0) throw new InvalidOperationException("no batch was added");
        var kl = klSums.Select(sum => sum / count).ToArray();
        var variance = meanSums.Zip(meanSquareSums, (sum, squareSum) => (squareSum / count) - Math.Pow(sum / count, 2)).ToArray();
        return new LatentStatistics(kl, variance);
    }
}

namespace SweepRunner.Contracts.Training;

/// <summary>
/// The posterior q(z|x) over a split, per latent dimension: the mean KL(q(z_d|x) ‖ N(0, 1)), and the variance over the
/// split of the posterior mean E_q[z_d|x]. A dimension is an active unit when that variance exceeds
/// <see cref="ActiveUnitThreshold"/> (Burda et al.): the encoder tells inputs apart along it.
/// </summary>
public sealed record LatentStatistics(IReadOnlyList<double> KlPerDimension, IReadOnlyList<double> MeanVariancePerDimension)
{
    /// <summary>Variance of the posterior mean over the split above which a dimension is active (Burda et al.'s 0.01).</summary>
    public const double ActiveUnitThreshold = 0.01;

    /// <summary>How many dimensions are active.</summary>
    public int ActiveUnits => MeanVariancePerDimension.Count(IsActive);

    /// <summary>Whether a dimension whose posterior mean has <paramref name="meanVariance"/> over the split is active.</summary>
    public static bool IsActive(double meanVariance) => meanVariance > ActiveUnitThreshold;

    /// <summary>Equal values, dimension by dimension: a report read back from a checkpoint or metrics.json equals the one written.</summary>
    public bool Equals(LatentStatistics? other) =>
        other is not null && KlPerDimension.SequenceEqual(other.KlPerDimension) && MeanVariancePerDimension.SequenceEqual(other.MeanVariancePerDimension);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (double kl in KlPerDimension) hash.Add(kl);
        foreach (double variance in MeanVariancePerDimension) hash.Add(variance);
        return hash.ToHashCode();
    }
}

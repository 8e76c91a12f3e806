namespace SweepRunner.Contracts.Sweeps.Search;

internal static class WeightedChoice
{
    /// <summary>An index drawn with the given probabilities (summing to 1; the last absorbs rounding).</summary>
    public static int Pick(IReadOnlyList<double> probabilities, Random random)
    {
        double u = random.NextDouble();
        for (int i = 0; i < probabilities.Count - 1; i++)
        {
            u -= probabilities[i];
            if (u < 0) return i;
        }

        return probabilities.Count - 1;
    }
}

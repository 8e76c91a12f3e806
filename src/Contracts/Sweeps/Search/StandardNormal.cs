namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>The standard normal distribution: draws, log density and CDF (.NET has no erf).</summary>
internal static class StandardNormal
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Box–Muller; one of the pair is discarded so that each draw consumes a fixed two uniforms.</summary>
    public static double Sample(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrtTwoPi;

    /// <summary>Φ(z), from erfc by the Chebyshev fit of Numerical Recipes (§6.2), relative error below 1.2e-7.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double polynomial = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double result = t * Math.Exp((-z * z) + polynomial);
        return x >= 0 ? result : 2.0 - result;
    }
}

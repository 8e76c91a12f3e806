using System.Globalization;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// A numeric distribution as W&amp;B defines it: <c>min</c>/<c>max</c> bound the uniform kinds (the log kinds take the
/// values themselves, not their logs), <c>mu</c>/<c>sigma</c> shape the normal kinds (in log space for
/// <c>log_normal</c>), and the <c>q_</c> kinds return <c>round(X / q) · q</c>.
/// </summary>
public sealed class NumericDistribution
{
    private static readonly Dictionary<DistributionKind, string> Names = new()
    {
        [DistributionKind.IntUniform] = "int_uniform",
        [DistributionKind.Uniform] = "uniform",
        [DistributionKind.QUniform] = "q_uniform",
        [DistributionKind.LogUniformValues] = "log_uniform_values",
        [DistributionKind.QLogUniformValues] = "q_log_uniform_values",
        [DistributionKind.InvLogUniformValues] = "inv_log_uniform_values",
        [DistributionKind.Normal] = "normal",
        [DistributionKind.QNormal] = "q_normal",
        [DistributionKind.LogNormal] = "log_normal",
    };

    private static readonly Dictionary<string, DistributionKind> KindsByName = Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Bounds (<paramref name="min"/> &lt; <paramref name="max"/>, positive for the log kinds) or <paramref name="mu"/>/<paramref name="sigma"/>; <paramref name="q"/> for the q_ kinds only. Checked by the parser, not here.</summary>
    internal NumericDistribution(DistributionKind kind, double min, double max, double mu, double sigma, double? q)
    {
        Kind = kind;
        Min = min;
        Max = max;
        Mu = mu;
        Sigma = sigma;
        Q = q;
    }

    /// <summary>The W&amp;B names, as written in a sweep file.</summary>
    public static IReadOnlyCollection<string> KnownNames => Names.Values;

    public DistributionKind Kind { get; }

    public double Min { get; }

    public double Max { get; }

    public double Mu { get; }

    public double Sigma { get; }

    /// <summary>The quantum of a q_ kind; null otherwise.</summary>
    public double? Q { get; }

    public string Name => Names[Kind];

    public bool IsNormal => Kind is DistributionKind.Normal or DistributionKind.QNormal or DistributionKind.LogNormal;

    /// <summary>Whether every value drawn is an integer.</summary>
    public bool IsIntegral => Kind == DistributionKind.IntUniform || Q is { } q && q == Math.Floor(q);

    /// <summary>Smallest and largest values it can yield (after rounding to q).</summary>
    internal ValueRange Support => Kind switch
    {
        DistributionKind.Normal or DistributionKind.QNormal => new ValueRange(double.NegativeInfinity, double.PositiveInfinity),
        DistributionKind.LogNormal => new ValueRange(0, double.PositiveInfinity, MinExcluded: true),
        _ => new ValueRange(Quantize(Min), Quantize(Max)),
    };

    private bool IsLog => Kind is DistributionKind.LogUniformValues or DistributionKind.QLogUniformValues
        or DistributionKind.InvLogUniformValues or DistributionKind.LogNormal;

    /// <summary>The kind a W&amp;B name stands for; null for a name that is not one of <see cref="KnownNames"/>.</summary>
    public static DistributionKind? Parse(string name) => KindsByName.TryGetValue(name, out var kind) ? kind : null;

    public string Describe() => IsNormal
        ? $"{Name} mu {Format(Mu)} sigma {Format(Sigma)}{DescribeQ()}"
        : $"{Name} [{Format(Min)}, {Format(Max)}]{DescribeQ()}";

    internal double Sample(Random random)
    {
        double x = Kind switch
        {
            DistributionKind.IntUniform => random.NextInt64((long)Min, (long)Max + 1),
            // inv_log_uniform_values is X with log(1/X) uniform on [log(1/max), log(1/min)]: the law of log_uniform_values.
            _ when IsLog && !IsNormal => Math.Exp(Uniform(random, Math.Log(Min), Math.Log(Max))),
            DistributionKind.LogNormal => Math.Exp(Mu + (Sigma * StandardNormal.Sample(random))),
            _ when IsNormal => Mu + (Sigma * StandardNormal.Sample(random)),
            _ => Uniform(random, Min, Max),
        };
        return Quantize(x);
    }

    /// <summary>
    /// Where the TPE search models this distribution: the log kinds in log space; integers widened by ½ so that the
    /// end values get a whole unit; the normal kinds unbounded, scaled by ±3σ around their mean.
    /// </summary>
    internal SearchInterval SearchSpace => Kind switch
    {
        DistributionKind.IntUniform => SearchInterval.Bounded(Min - 0.5, Max + 0.5),
        _ when IsNormal => SearchInterval.Unbounded(Mu, Sigma),
        _ when IsLog => SearchInterval.Bounded(Math.Log(Min), Math.Log(Max)),
        _ => SearchInterval.Bounded(Min, Max),
    };

    /// <summary>A value of this distribution in <see cref="SearchSpace"/> coordinates.</summary>
    internal double ToSearchSpace(double value) => SearchSpace.Clamp(IsLog ? Math.Log(value) : value);

    /// <summary>The value at a point of <see cref="SearchSpace"/>, rounded as this distribution rounds.</summary>
    internal double FromSearchSpace(double point)
    {
        double value = IsLog ? Math.Exp(point) : point;
        return Kind == DistributionKind.IntUniform ? Math.Clamp(Math.Round(value), Min, Max) : Quantize(value);
    }

    private static double Uniform(Random random, double low, double high) => low + (random.NextDouble() * (high - low));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Math.Round rounds half to even, as numpy's round does in W&B's sampler.
    private double Quantize(double value) => Q is { } q ? Math.Round(value / q) * q : value;

    private string DescribeQ() => Q is { } q ? $" q {Format(q)}" : "";
}

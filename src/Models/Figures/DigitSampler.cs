using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Figures;

/// <summary>The book's "decoder test": digits decoded from latents drawn from the prior N(0, I).</summary>
public static class DigitSampler
{
    /// <summary>
    /// Decodes <paramref name="count"/> images (28 × 28, values in [0, 1]) from seeded prior samples. A
    /// conditional model needs <paramref name="digit"/>; without it each row of 10 cycles through the digits 0–9.
    /// </summary>
    public static IReadOnlyList<float[]> Sample(VariationalAutoencoder model, int count, ulong seed, int? digit = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        DigitArgument.Check(digit);

        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var z = randn([count, model.LatentDim], generator: generator);
        using var label = (digit ?? 0).ToScalar();
        using var end = count.ToScalar();
        using var classes = VariationalAutoencoder.ClassCount.ToScalar();
        var digits = digit is null ? arange(end, ScalarType.Int64).remainder(classes) : full([count], label, ScalarType.Int64);
        return LatentDecoding.Decode(model, z, digits);
    }
}

using SweepRunner.Models.Vae;
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
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (digit is < 0 or >= VariationalAutoencoder.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(digit), digit, "digit must be 0–9");

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        model.eval();
        var z = randn([count, model.LatentDim], generator: generator);
        Tensor? labels = null;
        if (model.IsConditional)
        {
            var classes = digit is { } d
                ? full([count], d, ScalarType.Int64)
                : arange(count, ScalarType.Int64) % VariationalAutoencoder.ClassCount;
            labels = nn.functional.one_hot(classes, VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32);
        }

        var images = model.DecodeLogits(z, labels).sigmoid().contiguous();
        var flat = images.data<float>().ToArray();
        return Enumerable.Range(0, count)
            .Select(i => flat.AsSpan(i * VariationalAutoencoder.PixelCount, VariationalAutoencoder.PixelCount).ToArray())
            .ToList();
    }
}

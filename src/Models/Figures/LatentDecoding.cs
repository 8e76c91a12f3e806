using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Figures;

/// <summary>Latents to images, for the figures that show what the decoder makes of chosen points.</summary>
internal static class LatentDecoding
{
    /// <summary>
    /// Decodes <paramref name="latents"/> [N, latent dim] to N images of 784 values in [0, 1]; a conditional
    /// model takes the digit of each row from <paramref name="digits"/> [N] (int64).
    /// </summary>
    public static IReadOnlyList<float[]> Decode(VariationalAutoencoder model, Tensor latents, Tensor? digits)
    {
        if (model.IsConditional && digits is null)
            throw new ArgumentException("a conditional model needs the digit of every latent", nameof(digits));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var labels = model.IsConditional
            ? nn.functional.one_hot(digits!, VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32)
            : null;
        var flat = model.DecodeLogits(latents, labels).sigmoid().contiguous().data<float>().ToArray();
        int count = (int)latents.shape[0];
        return Enumerable.Range(0, count)
            .Select(i => flat.AsSpan(i * VariationalAutoencoder.PixelCount, VariationalAutoencoder.PixelCount).ToArray())
            .ToList();
    }
}

using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Figures;

/// <summary>Latents to images, for the figures that show what the decoder makes of chosen points.</summary>
internal static class LatentDecoding
{
    // Rows decoded at once: the CNN decoder's activations take ~0.4 MB a row, so a 30 × 30 manifold in one
    // batch would add ~0.4 GB to the process's peak.
    private const int ChunkRows = 256;

    /// <summary>
    /// Decodes <paramref name="latents"/> [N, latent dim] to N images of 784 values in [0, 1]; a conditional
    /// model takes the digit of each row from <paramref name="digits"/> [N] (int64).
    /// </summary>
    public static IReadOnlyList<float[]> Decode(VariationalAutoencoder model, Tensor latents, Tensor? digits)
    {
        if (model.IsConditional && digits is null)
            throw new ArgumentException("a conditional model needs the digit of every latent", nameof(digits));

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        model.eval();
        var labels = model.IsConditional
            ? nn.functional.one_hot(digits!, VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32)
            : null;
        int count = (int)latents.shape[0];
        var images = new List<float[]>(count);
        for (int start = 0; start < count; start += ChunkRows)
        {
            using var chunkScope = NewDisposeScope();
            int rows = Math.Min(ChunkRows, count - start);
            var flat = model.DecodeLogits(latents.narrow(0, start, rows), labels?.narrow(0, start, rows))
                .sigmoid().contiguous().data<float>().ToArray();
            for (int i = 0; i < rows; i++)
                images.Add(flat.AsSpan(i * VariationalAutoencoder.PixelCount, VariationalAutoencoder.PixelCount).ToArray());
        }
        return images;
    }
}

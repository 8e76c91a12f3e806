using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Figures;

/// <summary>
/// Where a split's images land in latent space, as two coordinates per image: the latent means E[z|x] themselves
/// for latent dim 2, their first two principal components above that, and z[0] against the digit for dim 1.
/// </summary>
public sealed record LatentProjection(
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    IReadOnlyList<int> Digits,
    string Description,
    string XLabel,
    string YLabel,
    bool YIsDigit)
{
    // Rows encoded at once: the CNN encoder's activations stay near a training batch's.
    private const int BatchSize = 256;

    /// <summary>Encodes every image of <paramref name="data"/> and projects the latent means to 2-D.</summary>
    public static LatentProjection Of(VariationalAutoencoder model, TensorSplit data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var means = EncodeMeans(model, data);
        var digits = data.Labels.data<long>().Select(label => (int)label).ToArray();
        return model.LatentDim switch
        {
            1 => new(Column(means, 0), [.. digits.Select(d => (double)d)], digits, "Latent means of the test set", "z[0]", "digit", YIsDigit: true),
            2 => new(Column(means, 0), Column(means, 1), digits, "Latent means of the test set", "z[0]", "z[1]", YIsDigit: false),
            _ => PrincipalComponents(means, digits),
        };
    }

    private static Tensor EncodeMeans(VariationalAutoencoder model, TensorSplit data)
    {
        using var inference = inference_mode();
        model.eval();
        var chunks = new List<Tensor>();
        for (long start = 0; start < data.Count; start += BatchSize)
        {
            var (images, labels) = data.Slice(start, Math.Min(BatchSize, data.Count - start), model.IsConditional);
            chunks.Add(model.Encode(images, labels).Mean);
        }
        return cat(chunks, dim: 0).to_type(ScalarType.Float64);
    }

    /// <summary>
    /// Scores on the two leading eigenvectors of the means' covariance, each vector's sign fixed so that its
    /// largest entry is positive (eigenvectors are defined up to sign; this keeps the figure the same run to run).
    /// </summary>
    private static LatentProjection PrincipalComponents(Tensor means, int[] digits)
    {
        long dims = means.shape[1];
        var centred = means - means.mean([0L], keepdim: true);
        using var degreesOfFreedom = (means.shape[0] - 1).ToScalar();
        var covariance = centred.T.matmul(centred).div(degreesOfFreedom);
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);
        var leading = eigenvectors.index_select(1, tensor(new[] { dims - 1, dims - 2 }));
        var largest = leading.abs().argmax(0);
        var signs = leading.gather(0, largest.unsqueeze(0)).sign();
        var scores = centred.matmul(leading * signs);

        var values = eigenvalues.data<double>().ToArray();
        double explained = (values[^1] + values[^2]) / values.Sum();
        string description = FormattableString.Invariant(
            $"PCA of z (latent dim {dims}): test-set means, {explained:P0} of their variance");
        return new(Column(scores, 0), Column(scores, 1), digits, description, "principal component 1", "principal component 2", YIsDigit: false);
    }

    private static double[] Column(Tensor matrix, int index) => matrix[.., index].contiguous().to_type(ScalarType.Float64).data<double>().ToArray();
}

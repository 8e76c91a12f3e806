using SweepRunner.Models.Data;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Training;

/// <summary>One split of the dataset as tensors: images [N, 784], labels [N] (int64) and one-hot [N, 10].</summary>
public sealed class TensorSplit : IDisposable
{
    private TensorSplit(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
        OneHotLabels = nn.functional.one_hot(labels, VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32);
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public Tensor OneHotLabels { get; }
    public long Count => Images.shape[0];

    /// <param name="device">Where the tensors go; null: the CPU.</param>
    public static TensorSplit From(ImageSplit split, Device? device = null)
    {
        if (split.PixelsPerImage != VariationalAutoencoder.PixelCount)
            throw new ArgumentException($"images are {split.Rows}×{split.Columns}; the models take 28×28", nameof(split));
        Tensor images;
        using (var bytes = tensor(split.RawPixels, [split.Count, split.PixelsPerImage]))
        {
            // x / 255 in float32, the same rounding as ImageSplit.ScaledPixels.
            using var levels = 255f.ToScalar();
            using var scaled = bytes.to_type(ScalarType.Float32).div_(levels);
            images = scaled.to(device ?? CPU);
        }
        using var cpuLabels = tensor(split.Labels.Select(l => (long)l).ToArray(), [split.Count]);
        return new TensorSplit(images, cpuLabels.to(device ?? CPU));
    }

    /// <summary>Rows <paramref name="indices"/> of images and one-hot labels (null labels for unconditional models).</summary>
    public (Tensor Images, Tensor? Labels) Select(Tensor indices, bool conditional) =>
        (Images.index_select(0, indices), conditional ? OneHotLabels.index_select(0, indices) : null);

    /// <summary>Rows [start, start + count) as views.</summary>
    public (Tensor Images, Tensor? Labels) Slice(long start, long count, bool conditional) =>
        (Images.narrow(0, start, count), conditional ? OneHotLabels.narrow(0, start, count) : null);

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        OneHotLabels.Dispose();
    }
}

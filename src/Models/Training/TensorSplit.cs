using SweepRunner.Models.Data;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Training;

/// <summary>
/// One split of the dataset as tensors: pixels [N, 784] as bytes, labels [N] (int64) and one-hot [N, 10]. Rows come out
/// as float images in [0, 1], scaled when taken: the split stays a quarter of its float size resident (MNIST's
/// training images take 47 MB instead of 188 MB), and scaling a batch costs less than gathering it.
/// </summary>
public sealed class TensorSplit : IDisposable
{
    private readonly Tensor pixels;

    private TensorSplit(Tensor pixels, Tensor labels)
    {
        this.pixels = pixels;
        Labels = labels;
        OneHotLabels = nn.functional.one_hot(labels, VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32);
    }

    public Tensor Labels { get; }
    public Tensor OneHotLabels { get; }
    public long Count => pixels.shape[0];

    /// <param name="device">Where the tensors go; null: the CPU.</param>
    public static TensorSplit From(ImageSplit split, Device? device = null)
    {
        if (split.PixelsPerImage != VariationalAutoencoder.PixelCount)
            throw new ArgumentException($"images are {split.Rows}×{split.Columns}; the models take 28×28", nameof(split));
        // Shares the split's pixels instead of copying them: a worker keeps the dataset loaded for its next trials, and
        // a copy per trial would double MNIST's 55 MB on the .NET heap. Nothing here writes to them.
        using var buffer = frombuffer(split.RawPixels, ScalarType.Byte);
        using var bytes = buffer.view(split.Count, split.PixelsPerImage);
        using var cpuLabels = tensor(split.Labels.Select(l => (long)l).ToArray(), [split.Count]);
        return new TensorSplit(bytes.to(device ?? CPU), cpuLabels.to(device ?? CPU));
    }

    /// <summary>Rows <paramref name="indices"/> of images and one-hot labels (null labels for unconditional models).</summary>
    public (Tensor Images, Tensor? Labels) Select(Tensor indices, bool conditional)
    {
        using var rows = pixels.index_select(0, indices);
        return (Scaled(rows), conditional ? OneHotLabels.index_select(0, indices) : null);
    }

    /// <summary>Rows [start, start + count) of images and one-hot labels (the labels as views).</summary>
    public (Tensor Images, Tensor? Labels) Slice(long start, long count, bool conditional)
    {
        using var rows = pixels.narrow(0, start, count);
        return (Scaled(rows), conditional ? OneHotLabels.narrow(0, start, count) : null);
    }

    public void Dispose()
    {
        pixels.Dispose();
        Labels.Dispose();
        OneHotLabels.Dispose();
    }

    /// <summary>x / 255 in float32, the same rounding as <see cref="ImageSplit.ScaledPixels"/>.</summary>
    private static Tensor Scaled(Tensor rows)
    {
        using var levels = 255f.ToScalar();
        return rows.to_type(ScalarType.Float32).div_(levels);
    }
}

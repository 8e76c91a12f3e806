namespace SweepRunner.Models.Data;

/// <summary>
/// One split of an image dataset: 8-bit pixels and one label per image. Pixels stay bytes (a quarter of the
/// memory of floats) until they become a tensor; <see cref="ScaledPixels"/> gives them in [0, 1].
/// </summary>
public sealed class ImageSplit
{
    /// <summary>Wraps <paramref name="pixels"/> (row-major, <c>labels.Length * rows * columns</c> values) and <paramref name="labels"/>; the arrays are not copied.</summary>
    public ImageSplit(byte[] pixels, byte[] labels, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (pixels.Length != (long)labels.Length * rows * columns)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixels do not make {labels.Length} images of {rows}x{columns}", nameof(pixels));
        }

        RawPixels = pixels;
        Labels = labels;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Columns { get; }

    /// <summary>Pixels in one image.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All images, row-major, 0 (black) to 255.</summary>
    public byte[] RawPixels { get; }

    /// <summary>The label of each image.</summary>
    public byte[] Labels { get; }

    /// <summary>The first <paramref name="count"/> images; this split itself when it has no more than that.</summary>
    public ImageSplit Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count >= Count)
        {
            return this;
        }

        return new ImageSplit(RawPixels[..(count * PixelsPerImage)], Labels[..count], Rows, Columns);
    }

    /// <summary>Up to <paramref name="perClass"/> images of each label, picked by a shuffle seeded with <paramref name="seed"/>, in their original order.</summary>
    public ImageSplit StratifiedSample(int perClass, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Random(seed).Shuffle(order);

        var picked = new bool[Count];
        var perLabel = new int[256];
        var total = 0;
        foreach (var index in order)
        {
            if (perLabel[Labels[index]] < perClass)
            {
                perLabel[Labels[index]]++;
                picked[index] = true;
                total++;
            }
        }

        var size = PixelsPerImage;
        var pixels = new byte[total * size];
        var labels = new byte[total];
        var next = 0;
        for (var i = 0; i < picked.Length; i++)
        {
            if (picked[i])
            {
                Array.Copy(RawPixels, i * size, pixels, next * size, size);
                labels[next++] = Labels[i];
            }
        }

        return new ImageSplit(pixels, labels, Rows, Columns);
    }

    /// <summary>All images, row-major, each pixel <c>byte / 255f</c> in [0, 1] (a new array).</summary>
    public float[] ScaledPixels()
    {
        var scaled = GC.AllocateUninitializedArray<float>(RawPixels.Length);
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = RawPixels[i] / 255f;
        }

        return scaled;
    }

    /// <summary>How many images carry each label 0..<paramref name="classes"/>-1.</summary>
    /// <exception cref="InvalidOperationException">A label is not below <paramref name="classes"/>.</exception>
    public int[] LabelCounts(int classes = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var counts = new int[classes];
        for (var i = 0; i < Labels.Length; i++)
        {
            var label = Labels[i];
            if (label >= classes)
            {
                throw new InvalidOperationException($"label {label} at index {i} is not below {classes} classes");
            }

            counts[label]++;
        }

        return counts;
    }
}

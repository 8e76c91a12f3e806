namespace SweepRunner.Models.Data;

/// <summary>One split of an image dataset: pixels scaled to [0,1] and one label per image.</summary>
public sealed class ImageSplit
{
    /// <summary>Wraps <paramref name="pixels"/> (row-major, <c>labels.Length * rows * columns</c> values) and <paramref name="labels"/>; the arrays are not copied.</summary>
    public ImageSplit(float[] pixels, byte[] labels, int rows, int columns)
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

        Pixels = pixels;
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

    /// <summary>All images, row-major, each pixel <c>byte / 255f</c>.</summary>
    public float[] Pixels { get; }

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

        return new ImageSplit(Pixels[..(count * PixelsPerImage)], Labels[..count], Rows, Columns);
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
        var pixels = new float[total * size];
        var labels = new byte[total];
        var next = 0;
        for (var i = 0; i < picked.Length; i++)
        {
            if (picked[i])
            {
                Array.Copy(Pixels, i * size, pixels, next * size, size);
                labels[next++] = Labels[i];
            }
        }

        return new ImageSplit(pixels, labels, Rows, Columns);
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

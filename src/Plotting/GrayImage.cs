namespace SweepRunner.Plotting;

/// <summary>An 8-bit grey-scale image: row-major pixels, 0 black … 255 white.</summary>
public sealed record GrayImage
{
    public GrayImage(byte[] pixels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        (Pixels, Width, Height) = (pixels, width, height);
    }

    public byte[] Pixels { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>
    /// Tiles <paramref name="images"/> (each side × side, values in [0, 1], row-major) into a grid
    /// <paramref name="columns"/> wide, filled row by row; cells past the last image stay black.
    /// </summary>
    public static GrayImage Tile(IReadOnlyList<float[]> images, int side, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int rows = (images.Count + columns - 1) / columns;
        int width = columns * side, height = rows * side;
        var pixels = new byte[width * height];
        for (int i = 0; i < images.Count; i++)
        {
            int top = i / columns * side, left = i % columns * side;
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    float value = Math.Clamp(images[i][(y * side) + x], 0f, 1f);
                    pixels[((top + y) * width) + left + x] = (byte)MathF.Round(value * 255f);
                }
            }
        }
        return new GrayImage(pixels, width, height);
    }

    public byte[] ToPng() => GrayscalePng.Encode(this);
}

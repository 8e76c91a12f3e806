using SkiaSharp;
using SweepRunner.Plotting;

namespace SweepRunner.Tests.Images;

/// <summary>A PNG decoded with SkiaSharp, and the measurements the figure and report tests make on it (linked into each test project that looks at pictures).</summary>
public sealed class DecodedPng : IDisposable
{
    private readonly SKBitmap bitmap;

    public DecodedPng(byte[] png)
    {
        bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a PNG SkiaSharp can decode");
    }

    public int Width => bitmap.Width;
    public int Height => bitmap.Height;

    public SKColor this[int x, int y] => bitmap.GetPixel(x, y);

    /// <summary>Variance of the pixels' grey level (mean of R, G, B; 0–255) over the whole image.</summary>
    public double GreyVariance()
    {
        var greys = Pixels(new FigureFrame(Width, Height, 0, 0, Width, Height)).Select(c => (c.Red + c.Green + c.Blue) / 3.0).ToList();
        double mean = greys.Average();
        return greys.Sum(g => (g - mean) * (g - mean)) / greys.Count;
    }

    /// <summary>The pixels of <paramref name="frame"/>'s data area, row by row.</summary>
    public IEnumerable<SKColor> Pixels(FigureFrame frame)
    {
        for (int y = frame.DataTop; y < frame.DataTop + frame.DataHeight; y++)
        {
            for (int x = frame.DataLeft; x < frame.DataLeft + frame.DataWidth; x++) yield return bitmap.GetPixel(x, y);
        }
    }

    /// <summary>How many pixels differ between two images of the same size.</summary>
    public int DifferingPixels(DecodedPng other)
    {
        Assert.Equal((Width, Height), (other.Width, other.Height));
        int count = 0;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                if (this[x, y] != other[x, y]) count++;
            }
        }
        return count;
    }

    public void Dispose() => bitmap.Dispose();
}

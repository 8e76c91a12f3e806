using SweepRunner.Models.Vae;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Figures;

/// <summary>
/// Digits decoded from z ~ N(0, I), tiled 10 to a row at one pixel per pixel: 100 samples make a 280 × 280
/// image. A conditional model draws <c>digit</c> throughout, or cycles 0–9 along each row without one.
/// </summary>
public static class PriorSamples
{
    public const int DefaultCount = 100;
    public const int Columns = 10;
    public const int DigitSide = 28;

    public static GrayImage Render(VariationalAutoencoder model, int count, ulong seed, int? digit)
    {
        var images = DigitSampler.Sample(model, count, seed, digit);
        return GrayImage.Tile(images, DigitSide, Math.Min(count, Columns));
    }
}

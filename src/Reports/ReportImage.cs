using System.Buffers.Binary;

namespace SweepRunner.Reports;

/// <summary>A PNG of the report, its path relative to the page and its size in pixels (for the img tag, so the page lays out before images load).</summary>
internal sealed record ReportImage(string RelativePath, int Width, int Height, byte[] Png)
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static ReportImage Of(string relativePath, byte[] png)
    {
        // The IHDR chunk comes first: its width and height follow the 8-byte signature, a length and a type.
        if (png.Length < 24 || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new ArgumentException($"{relativePath} is not a PNG", nameof(png));
        return new(relativePath, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), png);
    }
}

/// <summary>The report's images; a chart is null when the sweep has nothing to draw in it yet.</summary>
internal sealed record ReportImages(ReportImage? TestLossCurves, ReportImage? RateDistortion, ReportImage? SeedSpread, IReadOnlyList<ReportImage> BestFigures)
{
    public IEnumerable<ReportImage> All =>
        new[] { TestLossCurves, RateDistortion, SeedSpread }.OfType<ReportImage>().Concat(BestFigures);
}

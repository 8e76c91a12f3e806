using ScottPlot;
using SkiaSharp;

namespace SweepRunner.Plotting;

/// <summary>
/// DejaVu Sans, embedded in this assembly (Fonts/DejaVuSans.ttf, licence beside it), for all text of the figures.
/// Skia's fontconfig-free native build finds no system font on a bare machine or container, and ScottPlot then
/// draws no text at all; an embedded font renders the same glyphs everywhere, without root or an apt step.
/// </summary>
public static class BundledFont
{
    /// <summary>The name figures ask ScottPlot for; unlike "DejaVu Sans" no installed font can answer to it.</summary>
    public const string Name = "SweepRunner DejaVu Sans";

    private const string ResourceName = "SweepRunner.Plotting.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Face = new(LoadAndRegister);

    /// <summary>The embedded typeface (family "DejaVu Sans").</summary>
    public static SKTypeface Typeface => Face.Value;

    /// <summary>Makes every text element of <paramref name="plot"/> use the bundled font.</summary>
    public static void Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        _ = Face.Value;
        plot.Font.Set(Name);
        // Otherwise the legend looks for an installed font per entry and may leave the bundled one.
        plot.Legend.SetBestFontOnEachRender = false;
    }

    private static SKTypeface LoadAndRegister()
    {
        using var stream = typeof(BundledFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the font resource {ResourceName} is missing from {typeof(BundledFont).Assembly.GetName().Name}");
        var typeface = SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"the font resource {ResourceName} is not a font Skia can read");
        Fonts.FontResolvers.Insert(0, new Resolver(typeface));
        return typeface;
    }

    private sealed class Resolver(SKTypeface typeface) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Match(fontName);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Match(fontName);

        private SKTypeface? Match(string fontName) => fontName == Name ? typeface : null;
    }
}

using ScottPlot;
using SkiaSharp;

namespace SweepRunner.Plotting;

/// <summary>What every plotted figure shares, the per-trial ones and a sweep report's: the style of a new plot and the PNG encoding.</summary>
public static class FigureRendering
{
    public const float TitleSize = 16;

    /// <summary>A plot whose text is drawn with the bundled font.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        BundledFont.Apply(plot);
        plot.Axes.Title.Label.FontSize = TitleSize;
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> with its data area fixed where <paramref name="frame"/> puts it.</summary>
    public static SKSurface Render(Plot plot, FigureFrame frame)
    {
        plot.Layout.Fixed(frame.DataRect);
        var surface = NewSurface(frame.Width, frame.Height);
        plot.Render(surface);
        return surface;
    }

    public static SKSurface NewSurface(int width, int height) =>
        SKSurface.Create(new SKImageInfo(width, height))
        ?? throw new InvalidOperationException($"Skia could not allocate a {width} × {height} surface");

    public static byte[] RenderPng(Plot plot, FigureFrame frame)
    {
        using var surface = Render(plot, frame);
        return EncodePng(surface);
    }

    public static byte[] EncodePng(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, quality: 100);
        return png.ToArray();
    }
}

using System.Globalization;
using ScottPlot;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Figures;

/// <summary>
/// The book's latent plot: each test image's latent mean (or its projection, see <see cref="LatentProjection"/>)
/// as a dot coloured by digit, with a legend of the ten colours, axes clamped to [−4, 4] like the book's.
/// </summary>
public static class LatentScatter
{
    public const double Limit = 4;

    /// <summary>880 × 740 pixels, a 640 × 640 data area, the legend to its right.</summary>
    public static FigureFrame Frame { get; } = new(880, 740, 80, 50, 640, 640);

    /// <summary>One colour per digit 0–9 (the Category10 palette, the one matplotlib calls tab10).</summary>
    public static IReadOnlyList<Color> DigitColors { get; } = new ScottPlot.Palettes.Category10().Colors;

    private const float MarkerSize = 3;

    public static byte[] Render(VariationalAutoencoder model, TensorSplit data) => Render(LatentProjection.Of(model, data));

    public static byte[] Render(LatentProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        using var plot = FigureRendering.NewPlot();
        for (int digit = 0; digit < VariationalAutoencoder.ClassCount; digit++)
        {
            var indices = Enumerable.Range(0, projection.Digits.Count).Where(i => projection.Digits[i] == digit).ToArray();
            var xs = indices.Select(i => projection.X[i]).ToArray();
            var ys = indices.Select(i => projection.Y[i]).ToArray();
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, MarkerSize, DigitColors[digit]);
            markers.LegendText = digit.ToString(CultureInfo.InvariantCulture);
        }

        plot.Axes.SetLimitsX(-Limit, Limit);
        if (projection.YIsDigit) plot.Axes.SetLimitsY(-0.5, VariationalAutoencoder.ClassCount - 0.5);
        else plot.Axes.SetLimitsY(-Limit, Limit);
        plot.Title(Title(projection));
        plot.XLabel(projection.XLabel);
        plot.YLabel(projection.YLabel);
        plot.ShowLegend(Edge.Right);
        return FigureRendering.RenderPng(plot, Frame);
    }

    private static string Title(LatentProjection projection)
    {
        int outside = Enumerable.Range(0, projection.X.Count)
            .Count(i => Math.Abs(projection.X[i]) > Limit || (!projection.YIsDigit && Math.Abs(projection.Y[i]) > Limit));
        return outside == 0
            ? projection.Description
            : string.Create(CultureInfo.InvariantCulture, $"{projection.Description} ({outside} of {projection.X.Count} outside the axes)");
    }
}

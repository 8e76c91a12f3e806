using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Figures;

/// <summary>
/// The book's digit manifold: digits decoded over an evenly spaced grid of z[0], z[1] in [−4, 4] (z[1] = 4 on
/// the top row), 30 × 30 for the VAEs and 10 × 10 of one digit for the CVAE. The digits are copied into the
/// data area one pixel per pixel (840 × 840 or 280 × 280) with ScottPlot's axes around them; further latent
/// dimensions are held at 0, which the title says.
/// </summary>
public static class DigitManifold
{
    public const double Limit = 4;
    public const int GridSize = 30;
    public const int ConditionalGridSize = 10;

    private const int DigitSide = PriorSamples.DigitSide;
    private const int LeftMargin = 70;
    private const int TopMargin = 40;
    private const int RightMargin = 20;
    private const int BottomMargin = 60;

    /// <summary>Digits per side of the grid for <paramref name="model"/>.</summary>
    public static int GridSizeFor(VariationalAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.IsConditional ? ConditionalGridSize : GridSize;
    }

    /// <summary>The figure's frame: 930 × 940 for a 30 × 30 grid, 370 × 380 for 10 × 10.</summary>
    public static FigureFrame Frame(int gridSize)
    {
        int side = gridSize * DigitSide;
        return new FigureFrame(LeftMargin + side + RightMargin, TopMargin + side + BottomMargin, LeftMargin, TopMargin, side, side);
    }

    /// <summary>The grid of decoded digits alone, one pixel per pixel.</summary>
    public static GrayImage Decode(VariationalAutoencoder model, int? digit)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.LatentDim < 2)
            throw new ArgumentException($"the manifold spans z[0] and z[1]; this model's latent dim is {model.LatentDim}", nameof(model));
        if (model.IsConditional && digit is null)
            throw new ArgumentException("a conditional model's manifold is drawn for one digit", nameof(digit));
        DigitArgument.Check(digit);

        int n = GridSizeFor(model);
        using var scope = NewDisposeScope();
        var steps = linspace(-Limit, Limit, n);
        var z0 = steps.repeat(n);
        var z1 = steps.flip(0).repeat_interleave(n);
        var z = stack([z0, z1], dim: 1);
        if (model.LatentDim > 2) z = cat([z, zeros(n * n, model.LatentDim - 2)], dim: 1);
        using var label = (digit ?? 0).ToScalar();
        var digits = full([n * n], label, ScalarType.Int64);
        return GrayImage.Tile(LatentDecoding.Decode(model, z, digits), DigitSide, n);
    }

    /// <summary>The manifold as a PNG of <see cref="Frame"/>'s size, axes labelled z[0] and z[1].</summary>
    public static byte[] Render(VariationalAutoencoder model, int? digit)
    {
        var digits = Decode(model, digit);
        int n = GridSizeFor(model);
        var frame = Frame(n);

        using var plot = FigureRendering.NewPlot();
        // Grid cell centres sit on the ticks: the axes reach half a cell past ±4.
        double halfCell = Limit / (n - 1);
        plot.Axes.SetLimits(-Limit - halfCell, Limit + halfCell, -Limit - halfCell, Limit + halfCell);
        // ScottPlot draws no axes on a plot without plottables; the digits themselves are copied in below.
        plot.Add.Marker(0, 0).IsVisible = false;
        plot.Axes.Bottom.TickGenerator = IntegerTicks();
        plot.Axes.Left.TickGenerator = IntegerTicks();
        plot.Title(Title(model, digit));
        plot.XLabel("z[0]");
        plot.YLabel("z[1]");

        using var surface = FigureRendering.Render(plot, frame);
        var info = new SKImageInfo(digits.Width, digits.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var image = SKImage.FromPixelCopy(info, digits.Pixels, digits.Width))
        {
            surface.Canvas.DrawImage(image, frame.DataLeft, frame.DataTop);
        }
        return FigureRendering.EncodePng(surface);
    }

    private static NumericManual IntegerTicks()
    {
        var ticks = new NumericManual();
        for (int value = (int)-Limit; value <= (int)Limit; value++) ticks.AddMajor(value, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }

    private static string Title(VariationalAutoencoder model, int? digit)
    {
        string subject = model.IsConditional ? $"Digit {digit} over z" : "Decoded digits over z";
        string rest = model.LatentDim switch
        {
            2 => "",
            3 => " (z[2] = 0)",
            _ => $" (z[2..{model.LatentDim - 1}] = 0)",
        };
        return $"{subject} ∈ [−4, 4]²{rest}";
    }
}

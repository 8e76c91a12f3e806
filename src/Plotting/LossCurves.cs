using ScottPlot;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Plotting;

/// <summary>
/// Per-epoch losses side by side: total (negative ELBO), reconstruction and KL, train as solid lines and test
/// as dashed ones. One run draws both in two colours; several runs get a colour each. A sweep report overlays
/// only the test curves of all its trials (<c>testOnly</c>), solid, in the colours its runs bring.
/// </summary>
public static class LossCurves
{
    /// <summary>1440 × 420 pixels: three 480 × 420 panels.</summary>
    public const int Width = 1440;

    public const int Height = 420;

    private const int PanelWidth = Width / 3;
    private const int PanelLeft = 70;
    private const int PanelTop = 40;
    private const int PanelRight = 15;
    private const int PanelBottom = 55;

    private static readonly (string Title, Func<SplitLosses, double> Value)[] Panels =
    [
        ("Total (negative ELBO)", m => m.Total),
        ("Reconstruction", m => m.Recon),
        ("KL", m => m.Kl),
    ];

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>One trial's curves, labelled "train" and "test".</summary>
    public static byte[] Render(IReadOnlyList<EpochReport> epochs) => Render([new LossSeries("", epochs)]);

    public static byte[] Render(IReadOnlyList<LossSeries> runs, bool testOnly = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs.Count, 1);
        using var surface = FigureRendering.NewSurface(Width, Height);
        var panelFrame = new FigureFrame(PanelWidth, Height, PanelLeft, PanelTop, PanelWidth - PanelLeft - PanelRight, Height - PanelTop - PanelBottom);
        for (int i = 0; i < Panels.Length; i++)
        {
            using var plot = Panel(Panels[i].Title, Panels[i].Value, runs, testOnly);
            // Many overlaid runs make a tall legend: it is said once, in the first panel.
            plot.Legend.IsVisible = i == 0 || !testOnly;
            using var panel = FigureRendering.Render(plot, panelFrame);
            using var image = panel.Snapshot();
            surface.Canvas.DrawImage(image, i * PanelWidth, 0);
        }
        return FigureRendering.EncodePng(surface);
    }

    private static Plot Panel(string title, Func<SplitLosses, double> value, IReadOnlyList<LossSeries> runs, bool testOnly)
    {
        var plot = FigureRendering.NewPlot();
        bool single = runs.Count == 1;
        for (int run = 0; run < runs.Count; run++)
        {
            var (name, epochs, color) = runs[run];
            double[] x = [.. epochs.Select(e => (double)e.Epoch)];
            double[] test = [.. epochs.Select(e => value(e.Test))];
            if (testOnly)
            {
                Add(plot, x, test, name, color ?? Palette.GetColor(run), LinePattern.Solid);
                continue;
            }
            Add(plot, x, [.. epochs.Select(e => value(e.Train))], Legend(name, "train"), color ?? Palette.GetColor(single ? 0 : run), LinePattern.Solid);
            Add(plot, x, test, Legend(name, "test"), color ?? Palette.GetColor(single ? 1 : run), LinePattern.Dashed);
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("per image");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void Add(Plot plot, double[] x, double[] y, string legend, Color color, LinePattern pattern)
    {
        var line = plot.Add.Scatter(x, y, color);
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = 5;
        line.LegendText = legend;
    }

    private static string Legend(string run, string split) => run.Length == 0 ? split : $"{run} {split}";
}

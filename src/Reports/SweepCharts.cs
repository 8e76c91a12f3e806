using ScottPlot;
using SweepRunner.Models.Figures;

namespace SweepRunner.Reports;

/// <summary>
/// The sweep-level charts of a report: every trial's test loss curves overlaid, the rate–distortion plane, and
/// the spread over seeds. Colour always means β (<see cref="BetaColors"/>), so the charts read together.
/// </summary>
internal static class SweepCharts
{
    /// <summary>960 × 640 pixels, a 600 × 530 data area, the legend to its right (280 pixels for labels such as "model=cnn loss=mse").</summary>
    public static FigureFrame Frame { get; } = new(960, 640, 80, 50, 600, 530);

    private const float MarkerSize = 9;

    /// <summary>Marker shapes for the model/loss combinations, in the order the combinations first appear (then repeated).</summary>
    private static readonly MarkerShape[] Shapes =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond,
    ];

    private static readonly Color Neutral = Colors.DimGray;

    private static readonly ScottPlot.Palettes.Category10 SeriesPalette = new();

    /// <summary>Test total, recon and KL per epoch of every trial that reported an epoch, one line each, coloured by β.</summary>
    public static byte[] TestLossCurves(IReadOnlyList<TrialView> trials, BetaColors colors)
    {
        var labelled = new HashSet<double>(colors.LegendValues);
        var runs = trials
            .Where(t => t.Trial.Epochs.Count > 0)
            .OrderBy(t => t.Beta).ThenBy(t => t.Trial.Number)
            .Select(t => new LossSeries(labelled.Remove(t.Beta) ? BetaColors.Label(t.Beta) : "", t.Trial.Epochs, colors.Of(t.Beta)))
            .ToList();
        return LossCurves.Render(runs, testOnly: true);
    }

    /// <summary>Final test KL (rate) against reconstruction (distortion), a point per trial: colour β, marker model / loss.</summary>
    public static byte[] RateDistortion(IReadOnlyList<TrialView> trials, BetaColors colors)
    {
        var finished = trials.Where(t => t.Trial is { TestKl: not null, TestRecon: not null }).ToList();
        var shapes = ShapesOf(finished.Select(t => t.ModelAndLoss));
        using var plot = FigureRendering.NewPlot();
        foreach (var trial in finished)
            plot.Add.Marker(trial.Trial.TestKl!.Value, trial.Trial.TestRecon!.Value, shapes[trial.ModelAndLoss], MarkerSize, colors.Of(trial.Beta));

        plot.Legend.DisplayPlottableLegendItems = false;
        foreach (double beta in colors.LegendValues)
            plot.Legend.ManualItems.Add(LegendEntry(BetaColors.Label(beta), MarkerShape.FilledCircle, colors.Of(beta)));
        if (shapes.Count > 1)
        {
            foreach (var (combination, shape) in shapes)
                plot.Legend.ManualItems.Add(LegendEntry(combination, shape, Neutral));
        }
        plot.Title(shapes.Count == 1 ? $"Rate–distortion plane ({shapes.Keys.Single()})" : "Rate–distortion plane");
        plot.XLabel("rate: test KL (nats per image)");
        plot.YLabel("distortion: test reconstruction loss");
        plot.ShowLegend(Edge.Right);
        return FigureRendering.RenderPng(plot, Frame);
    }

    /// <summary>
    /// Mean final test loss ± one standard deviation over seeds against β, a line per remaining config (model,
    /// loss, …). β is on a log axis (log10) when the sweep's βs span a factor of ten.
    /// </summary>
    public static byte[] SeedSpreadChart(IReadOnlyList<SeedGroup> groups, SweptKeys keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(groups.Count);
        var betas = groups.Select(g => g.First.Beta).ToList();
        bool logScale = betas.Min() > 0 && betas.Max() / betas.Min() >= 10;
        using var plot = FigureRendering.NewPlot();
        var series = groups.GroupBy(g => g.SeriesKey(keys), StringComparer.Ordinal).ToList();
        for (int i = 0; i < series.Count; i++)
        {
            var points = series[i].OrderBy(g => g.First.Beta).ToList();
            double[] x = [.. points.Select(g => logScale ? Math.Log10(g.First.Beta) : g.First.Beta)];
            double[] mean = [.. points.Select(g => g.Total.Mean)];
            double[] sd = [.. points.Select(g => g.Total.StandardDeviation)];
            var color = SeriesPalette.GetColor(i);
            var line = plot.Add.Scatter(x, mean, color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            // One line needs no legend: the axis says what it is.
            if (series.Count > 1) line.LegendText = series[i].Key;
            var bars = plot.Add.ErrorBar(x, mean, sd);
            bars.Color = color;
            bars.LineWidth = 2;
        }
        plot.Title("Final test loss over seeds");
        plot.XLabel(logScale ? "log10 β" : "β");
        plot.YLabel("test total (negative ELBO), mean ± sd");
        if (series.Count > 1) plot.ShowLegend(Edge.Right);
        return FigureRendering.RenderPng(plot, Frame);
    }

    private static Dictionary<string, MarkerShape> ShapesOf(IEnumerable<string> combinations) =>
        combinations.Distinct(StringComparer.Ordinal)
            .Select((combination, i) => (combination, Shapes[i % Shapes.Length]))
            .ToDictionary(pair => pair.combination, pair => pair.Item2, StringComparer.Ordinal);

    private static LegendItem LegendEntry(string label, MarkerShape shape, Color color) => new()
    {
        LabelText = label,
        MarkerShape = shape,
        MarkerSize = MarkerSize,
        MarkerFillColor = color,
        MarkerLineColor = color,
        LineWidth = 0,
    };
}

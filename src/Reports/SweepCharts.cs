using ScottPlot;
using SweepRunner.Plotting;

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

    // Open markers (MSE) drawn with ScottPlot's 1-pixel outline are hard to see.
    private const float MarkerLineWidth = 2;

    /// <summary>A marker's shape per model (in the order mlp, cnn, cvae, then others by name), filled for BCE and open for MSE.</summary>
    private static readonly (MarkerShape Filled, MarkerShape Open)[] Shapes =
    [
        (MarkerShape.FilledCircle, MarkerShape.OpenCircle),
        (MarkerShape.FilledSquare, MarkerShape.OpenSquare),
        (MarkerShape.FilledTriangleUp, MarkerShape.OpenTriangleUp),
        (MarkerShape.FilledDiamond, MarkerShape.OpenDiamond),
    ];

    private static readonly string[] ModelOrder = ["mlp", "cnn", "cvae"];

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
        var shapes = ShapesOf(finished);
        using var plot = FigureRendering.NewPlot();
        foreach (var trial in finished)
        {
            var marker = plot.Add.Marker(trial.Trial.TestKl!.Value, trial.Trial.TestRecon!.Value, shapes[trial.ModelAndLoss], MarkerSize, colors.Of(trial.Beta));
            marker.MarkerLineWidth = MarkerLineWidth;
        }

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

    /// <summary>The marker of each model / loss combination of <paramref name="trials"/>, in legend order (by model, then loss).</summary>
    internal static Dictionary<string, MarkerShape> ShapesOf(IReadOnlyList<TrialView> trials)
    {
        var models = trials.Select(t => t.Model).Distinct(StringComparer.Ordinal)
            .OrderBy(model => Array.IndexOf(ModelOrder, model) is var index and >= 0 ? index : ModelOrder.Length)
            .ThenBy(model => model, StringComparer.Ordinal)
            .ToList();
        var shapes = new Dictionary<string, MarkerShape>(StringComparer.Ordinal);
        foreach (var trial in trials.OrderBy(t => models.IndexOf(t.Model)).ThenBy(t => t.Loss, StringComparer.Ordinal))
        {
            var (filled, open) = Shapes[models.IndexOf(trial.Model) % Shapes.Length];
            shapes.TryAdd(trial.ModelAndLoss, trial.Loss == "mse" ? open : filled);
        }
        return shapes;
    }

    private static LegendItem LegendEntry(string label, MarkerShape shape, Color color) => new()
    {
        LabelText = label,
        MarkerShape = shape,
        MarkerSize = MarkerSize,
        MarkerFillColor = color,
        MarkerLineColor = color,
        MarkerLineWidth = MarkerLineWidth,
        LineWidth = 0,
    };
}

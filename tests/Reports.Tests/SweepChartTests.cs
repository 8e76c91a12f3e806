using SkiaSharp;
using SweepRunner.Plotting;
using SweepRunner.Tests.Images;
using static SweepRunner.Reports.Tests.SyntheticSweep;

namespace SweepRunner.Reports.Tests;

public sealed class SweepChartTests
{
    private const double NonBlankVariance = 100;

    private static readonly double[] Betas = [0.5, 1, 4, 16];

    private static readonly IReadOnlyList<TrialView> Trials = SweepReport.Rank(Data(
        [.. Betas.SelectMany((beta, i) => new[] { Finished(2 * i + 1, beta, seed: 0), Finished(2 * i + 2, beta, seed: 0, loss: "mse") })], best: 1));

    private static readonly BetaColors Colors = new(Betas);

    [Fact]
    public void Rate_distortion_plane_draws_a_point_per_trial_in_its_betas_colour()
    {
        using var png = new DecodedPng(SweepCharts.RateDistortion(Trials, Colors));

        Assert.Equal((960, 640), (png.Width, png.Height));
        Assert.True(png.GreyVariance() > NonBlankVariance, $"variance {png.GreyVariance()}");
        var counts = Counts(png, SweepCharts.Frame);
        Assert.All(Betas, beta => Assert.True(counts.GetValueOrDefault(Skia(Colors.Of(beta))) >= 20, $"no marker of β = {beta}'s colour"));
    }

    [Fact]
    public void Test_loss_curves_overlay_every_trial_coloured_by_beta()
    {
        using var png = new DecodedPng(SweepCharts.TestLossCurves(Trials, Colors));

        Assert.Equal((LossCurves.Width, LossCurves.Height), (png.Width, png.Height));
        var counts = Counts(png, new FigureFrame(png.Width, png.Height, 0, 0, png.Width, png.Height));
        Assert.All(Betas, beta => Assert.True(counts.GetValueOrDefault(Skia(Colors.Of(beta))) >= 50, $"no line of β = {beta}'s colour"));
    }

    [Fact]
    public void Seed_spread_chart_has_a_line_per_remaining_config()
    {
        var trials = SweepReport.Rank(Data([Finished(1, 1, 0), Finished(2, 1, 1), Finished(3, 4, 0), Finished(4, 4, 1)], best: 1));
        var groups = SeedGroup.Of(trials);

        using var png = new DecodedPng(SweepCharts.SeedSpreadChart(groups, new SweptKeys([.. trials.Select(t => t.Config)])));

        Assert.Equal((960, 640), (png.Width, png.Height));
        var first = new ScottPlot.Palettes.Category10().GetColor(0);
        Assert.True(Counts(png, SweepCharts.Frame).GetValueOrDefault(Skia(first)) >= 50, "no mean line");
    }

    [Fact]
    public void Markers_are_shaped_by_model_in_book_order_and_filled_for_bce_open_for_mse()
    {
        var trials = SweepReport.Rank(Data(
            [Finished(1, 1, 0, model: "cvae", loss: "mse"), Finished(2, 1, 0, model: "mlp"), Finished(3, 1, 0, model: "cnn", loss: "mse"), Finished(4, 1, 0, model: "mlp", loss: "mse")],
            best: 1));

        var shapes = SweepCharts.ShapesOf(trials);

        Assert.Equal(
            [("mlp / bce", ScottPlot.MarkerShape.FilledCircle), ("mlp / mse", ScottPlot.MarkerShape.OpenCircle),
             ("cnn / mse", ScottPlot.MarkerShape.OpenSquare), ("cvae / mse", ScottPlot.MarkerShape.OpenTriangleUp)],
            shapes.Select(pair => (pair.Key, pair.Value)));
    }

    [Fact]
    public void Betas_spanning_a_factor_of_ten_are_coloured_on_a_log_scale()
    {
        var geometric = new BetaColors([1, 10, 100]);
        var linear = new BetaColors([1, 2, 3]);
        var viridis = new ScottPlot.Colormaps.Viridis();

        Assert.Equal(viridis.GetColor(0.45), geometric.Of(10));
        Assert.Equal(viridis.GetColor(0.45), linear.Of(2));
        Assert.Equal(viridis.GetColor(0), geometric.Of(1));
        Assert.NotEqual(geometric.Of(1), geometric.Of(100));
    }

    [Fact]
    public void A_legend_names_every_beta_or_eight_from_the_smallest_to_the_largest()
    {
        var many = Enumerable.Range(1, 20).Select(i => i * 0.5).ToList();

        Assert.Equal([1.0, 4.0], new BetaColors([4, 1, 4]).LegendValues);
        var spread = new BetaColors(many).LegendValues;
        Assert.Equal(BetaColors.MaxLegendEntries, spread.Count);
        Assert.Equal((0.5, 10.0), (spread[0], spread[^1]));
        Assert.Equal(spread.Order(), spread);
    }

    private static Dictionary<SKColor, int> Counts(DecodedPng png, FigureFrame frame) =>
        png.Pixels(frame).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

    private static SKColor Skia(ScottPlot.Color color) => new(color.R, color.G, color.B, color.A);
}

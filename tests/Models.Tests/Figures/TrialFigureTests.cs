using SkiaSharp;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Plotting;
using SweepRunner.Tests.Images;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Figures;

[Collection(MnistTrainingGroup.Name)]
public sealed class TrialFigureTests(TrainedMlpFixture trained, BundledMnistFixture mnist) : IClassFixture<TrainedMlpFixture>
{
    // Grey-level variance: a blank image has 0; these figures measure 440 (samples of this briefly trained model)
    // to 5,400 (manifold).
    private const double NonBlankVariance = 100;

    private VaeTrainer Trainer => trained.Trainer;

    [Fact]
    public void Latent_scatter_is_880_by_740_and_shows_all_ten_digit_colours_in_its_data_area()
    {
        using var png = new DecodedPng(LatentScatter.Render(Trainer.Model, Trainer.TestSet));

        Assert.Equal((880, 740), (png.Width, png.Height));
        Assert.True(png.GreyVariance() > NonBlankVariance, $"variance {png.GreyVariance()}");
        var counts = png.Pixels(LatentScatter.Frame).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var shown = LatentScatter.DigitColors.Select(c => new SKColor(c.R, c.G, c.B, c.A)).Where(c => counts.GetValueOrDefault(c) >= 20).ToList();
        Assert.True(shown.Distinct().Count() >= 10, $"only {shown.Distinct().Count()} digit colours in the data area");
    }

    [Fact]
    public void Manifold_is_930_by_940_with_the_decoded_30_by_30_grid_copied_exactly_into_its_data_area()
    {
        var grid = DigitManifold.Decode(Trainer.Model, digit: null);
        using var png = new DecodedPng(DigitManifold.Render(Trainer.Model, digit: null));

        Assert.Equal((840, 840), (grid.Width, grid.Height));
        Assert.Equal((930, 940), (png.Width, png.Height));
        var frame = DigitManifold.Frame(DigitManifold.GridSize);
        Assert.Equal(grid.Pixels, png.Pixels(frame).Select(c => c.Red));
        Assert.All(png.Pixels(frame), c => Assert.True(c.Red == c.Green && c.Green == c.Blue));
        Assert.True(png.GreyVariance() > NonBlankVariance, $"variance {png.GreyVariance()}");
    }

    [Fact]
    public void Manifold_of_a_trained_checkpoint_differs_from_an_untrained_models()
    {
        using var fromCheckpoint = Trainer.CreateCheckpoint().LoadModel("memory");
        using var generator = new Generator(7);
        using var untrained = VariationalAutoencoder.Create(ModelKind.Mlp, latentDim: 2, generator);

        var trainedPixels = DigitManifold.Decode(fromCheckpoint, digit: null).Pixels;
        var untrainedPixels = DigitManifold.Decode(untrained, digit: null).Pixels;

        // An untrained decoder draws near-uniform grey (sigmoid of small logits); a trained one, strokes on black.
        // This briefly trained model measures ≈ 45 grey levels.
        double meanDifference = trainedPixels.Zip(untrainedPixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference > 20, $"mean grey-level difference {meanDifference}");
    }

    [Fact]
    public void Prior_samples_are_10_to_a_row_28_pixels_a_digit_and_the_same_for_the_same_seed()
    {
        var hundred = PriorSamples.Render(Trainer.Model, 100, seed: 5, digit: null);
        using var png = new DecodedPng(hundred.ToPng());

        Assert.Equal((280, 280), (png.Width, png.Height));
        Assert.True(png.GreyVariance() > NonBlankVariance, $"variance {png.GreyVariance()}");
        Assert.Equal(hundred.Pixels, PriorSamples.Render(Trainer.Model, 100, seed: 5, digit: null).Pixels);
        var twentyFive = PriorSamples.Render(Trainer.Model, 25, seed: 5, digit: null);
        Assert.Equal((280, 84), (twentyFive.Width, twentyFive.Height));
    }

    [Fact]
    public void Loss_curves_are_1440_by_420_with_train_and_test_lines()
    {
        using var png = new DecodedPng(LossCurves.Render(Trainer.History));

        Assert.Equal((LossCurves.Width, LossCurves.Height), (png.Width, png.Height));
        Assert.Equal((1440, 420), (png.Width, png.Height));
        Assert.True(png.GreyVariance() > NonBlankVariance, $"variance {png.GreyVariance()}");
        var whole = new FigureFrame(png.Width, png.Height, 0, 0, png.Width, png.Height);
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var color in new[] { palette.GetColor(0), palette.GetColor(1) })
        {
            Assert.True(png.Pixels(whole).Count(c => c == new SKColor(color.R, color.G, color.B)) > 50, $"no line of colour {color}");
        }
    }

    [Fact]
    public void Text_renders_in_the_bundled_font()
    {
        var frame = new FigureFrame(300, 200, 50, 20, 230, 130);
        byte[] Render(string? label)
        {
            using var plot = FigureRendering.NewPlot();
            plot.Add.Marker(0, 0);
            if (label is not null) plot.XLabel(label);
            return FigureRendering.RenderPng(plot, frame);
        }

        using var labelled = new DecodedPng(Render("z[0]"));
        using var unlabelled = new DecodedPng(Render(null));

        Assert.True(labelled.DifferingPixels(unlabelled) > 30, "the axis label changed too few pixels to be text");
        Assert.Equal("DejaVu Sans", BundledFont.Typeface.FamilyName);
        Assert.Same(BundledFont.Typeface, ScottPlot.Fonts.GetTypeface(BundledFont.Name, bold: false, italic: false));
    }

    [Fact]
    public void Trial_figures_are_written_under_their_file_names()
    {
        using var temp = new TempDirectory();

        var paths = TrialFigures.Write(temp.Path, Trainer.Model, Trainer.TestSet, Trainer.History, seed: 0, digit: null);

        Assert.Equal(["latent-scatter.png", "manifold.png", "samples.png", "loss-curves.png"], paths.Select(Path.GetFileName));
        Assert.All(paths, path => Assert.True(File.Exists(path), path));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void A_cvae_gets_a_10_by_10_manifold_per_digit_or_only_the_chosen_digits()
    {
        using var test = TensorSplit.From(mnist.Dataset.Test.Take(300));
        using var cvae = Untrained(ModelKind.Cvae, latentDim: 2);

        var all = TrialFigures.Render(cvae, test, history: [], seed: 0, digit: null);
        var three = TrialFigures.Render(cvae, test, history: [], seed: 0, digit: 3);

        Assert.Equal(["latent-scatter.png", .. Enumerable.Range(0, 10).Select(d => $"manifold-digit-{d}.png"), "samples.png"], all.Select(f => f.Name));
        Assert.Equal(["latent-scatter.png", "manifold-digit-3.png", "digit-3.png"], three.Select(f => f.Name));
        using var manifold = new DecodedPng(three[1].Png);
        Assert.Equal((370, 380), (manifold.Width, manifold.Height));
    }

    [Fact]
    public void Latents_above_two_dimensions_are_shown_as_their_two_principal_components()
    {
        using var test = TensorSplit.From(mnist.Dataset.Test.Take(300));
        using var model = Untrained(ModelKind.Mlp, latentDim: 6);

        var projection = LatentProjection.Of(model, test);

        Assert.StartsWith("PCA of z (latent dim 6)", projection.Description, StringComparison.Ordinal);
        Assert.Equal(300, projection.X.Count);
        double varianceX = Variance(projection.X), varianceY = Variance(projection.Y);
        double covariance = projection.X.Zip(projection.Y, (x, y) => x * y).Average() - (projection.X.Average() * projection.Y.Average());
        Assert.True(varianceX >= varianceY, $"PC 1 variance {varianceX} < PC 2 variance {varianceY}");
        Assert.True(Math.Abs(covariance) < 1e-6 * varianceX, $"components correlate: covariance {covariance}");
    }

    [Fact]
    public void A_one_dimensional_latent_has_a_scatter_against_the_digit_and_no_manifold()
    {
        using var test = TensorSplit.From(mnist.Dataset.Test.Take(300));
        using var model = Untrained(ModelKind.Mlp, latentDim: 1);

        var figures = TrialFigures.Render(model, test, history: [], seed: 0, digit: null);

        Assert.Equal(["latent-scatter.png", "samples.png"], figures.Select(f => f.Name));
        Assert.True(LatentProjection.Of(model, test).YIsDigit);
    }

    private static VariationalAutoencoder Untrained(ModelKind kind, int latentDim)
    {
        using var generator = new Generator(3);
        return VariationalAutoencoder.Create(kind, latentDim, generator);
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }
}

using System.Globalization;
using SweepRunner.Tests.Images;
using SweepRunner.Tests.Reports;
using static SweepRunner.Reports.Tests.SyntheticSweep;

namespace SweepRunner.Reports.Tests;

public sealed class SweepReportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sweep-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Trials_are_ranked_by_the_sweep_metric_best_first_and_those_without_it_last()
    {
        var trials = new[] { Finished(1, beta: 4, seed: 0), Failed(2, beta: 8, seed: 0, "diverged"), Finished(3, beta: 1, seed: 0), Pending(4, beta: 2, seed: 0) };

        var lowestFirst = SweepReport.Rank(Data(trials, best: 3));
        var highestKlFirst = SweepReport.Rank(Data(trials, best: 3, goal: "maximize", metric: "test.kl"));

        Assert.Equal([3, 1, 2, 4], lowestFirst.Select(t => t.Trial.Number));
        Assert.Equal([3, 1, 2, 4], highestKlFirst.Select(t => t.Trial.Number)); // KL = 10/β: β = 1 has the most.
        var byTrainLoss = SweepReport.Rank(Data(trials, best: 3, metric: "train.total"));
        Assert.Equal(trials[2].Epochs[^1].Train.Total, byTrainLoss[0].MetricValue);
    }

    [Fact]
    public void Configs_repeated_over_seeds_get_the_sample_mean_and_standard_deviation()
    {
        var trials = new[]
        {
            Finished(1, beta: 1, seed: 0), Finished(2, beta: 1, seed: 1), Finished(3, beta: 1, seed: 2),
            Finished(4, beta: 4, seed: 0), Failed(5, beta: 4, seed: 1, "worker lost", failureClass: "infrastructure"),
            Finished(6, beta: 4, seed: 0, model: "cnn"), Finished(7, beta: 4, seed: 1, model: "cnn"),
        };

        var groups = SeedGroup.Of(SweepReport.Rank(Data(trials, best: 1)));

        // β = 4 mlp has one finished seed only; the failed trial has no metrics to average.
        Assert.Equal([[1, 2, 3], [6, 7]], groups.Select(g => g.Trials.Select(t => t.Trial.Number).Order().ToArray()));
        var recons = trials[..3].Select(t => t.TestRecon!.Value).ToArray();
        Assert.Equal(recons.Average(), groups[0].Recon.Mean, precision: 9);
        Assert.Equal(0.5, groups[0].Recon.StandardDeviation, precision: 9); // recon = 143 + 0.5 × seed over seeds 0, 1, 2.
        Assert.NotNull(groups[0].IwaeNll);
    }

    [Fact]
    public void The_page_parses_as_html_shows_one_row_per_trial_and_every_image_it_refers_to_is_beside_it()
    {
        var trials = new[]
        {
            Finished(1, beta: 1, seed: 0), Finished(2, beta: 1, seed: 1), Finished(3, beta: 4, seed: 0), Finished(4, beta: 4, seed: 1),
            Finished(5, beta: 4, seed: 0, loss: "mse"), Failed(6, beta: 16, seed: 0, "diverged: loss is NaN"),
        };
        var figures = new[] { Figure("latent-scatter.png", 40, 30), Figure("manifold.png", 28, 28) };

        var written = SweepReport.Write(Data(trials, best: 1, figures), folder);

        Assert.Equal(Path.Combine(folder, "index.html"), written[0]);
        using var page = ReportPage.Load(written[0]);
        page.AssertWellFormedWithEveryReferenceOnDisk();
        Assert.Equal([1, 2, 3, 4, 5, 6], page.TrialNumbers.Order());
        Assert.Equal(1, page.TrialNumbers[0]);
        Assert.Equal("best", page.TrialRows[0].ClassName);
        Assert.Equal("failed", page.TrialRows[^1].ClassName);
        var failedStatus = page.TrialRows[^1].QuerySelector("td[title]")!;
        Assert.Equal(("failed (diverged)", "diverged: loss is NaN"), (failedStatus.TextContent, failedStatus.GetAttribute("title")));
        // Swept columns only: beta, loss and seed vary; epochs and model are said once above the table.
        Assert.Equal(["rank", "trial", "beta", "loss", "seed", "status"], page.Document.QuerySelectorAll("#trial-table th").Take(6).Select(th => th.TextContent));
        Assert.Contains("epochs=3, model=mlp", page.Document.QuerySelector("#trials p")!.TextContent, StringComparison.Ordinal);
        // BCE and MSE trials ranked by test.total: the page says their scales differ.
        Assert.Contains("different scales", page.Document.QuerySelector("#trials p")!.TextContent, StringComparison.Ordinal);

        Assert.Equal("test-loss-curves.png", page.Document.QuerySelector("#loss-curves img")!.GetAttribute("src"));
        Assert.Equal("rate-distortion.png", page.Document.QuerySelector("#rate-distortion img")!.GetAttribute("src"));
        Assert.Equal(2, page.Document.QuerySelectorAll("#seed-table tbody tr").Length); // β = 1 and β = 4 (bce) over seeds 0, 1.
        Assert.Equal("seed-spread.png", page.Document.QuerySelector("#seeds img")!.GetAttribute("src"));
        Assert.Equal(["best-trial/latent-scatter.png", "best-trial/manifold.png"], page.Document.QuerySelectorAll("#best img").Select(i => i.GetAttribute("src")));
        Assert.Equal(["40", "30"], new[] { "width", "height" }.Select(a => page.Document.QuerySelector("#best img")!.GetAttribute(a)));
        Assert.Equal(Spec, page.Document.QuerySelector("#spec pre")!.TextContent);
    }

    [Fact]
    public void Rendered_in_memory_the_page_comes_first_and_every_image_it_shows_is_a_png_of_the_size_it_says()
    {
        var trials = new[] { Finished(1, beta: 1, seed: 0), Finished(2, beta: 1, seed: 1), Finished(3, beta: 4, seed: 0) };
        var data = Data(trials, best: 1, [Figure("manifold.png", 28, 28)]);

        var files = SweepReport.Render(data);

        Assert.Equal(SweepReport.PageFileName, files.Keys.First());
        using var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(System.Text.Encoding.UTF8.GetString(files[SweepReport.PageFileName]));
        var images = document.QuerySelectorAll("img").ToList();
        Assert.Equal(files.Keys.Skip(1).Order(StringComparer.Ordinal), images.Select(img => img.GetAttribute("src")!).Order(StringComparer.Ordinal));
        Assert.Contains("test-loss-curves.png", files.Keys);
        foreach (var img in images)
        {
            using var png = new DecodedPng(files[img.GetAttribute("src")!]);
            Assert.Equal((img.GetAttribute("width"), img.GetAttribute("height")), (png.Width.ToString(CultureInfo.InvariantCulture), png.Height.ToString(CultureInfo.InvariantCulture)));
        }
        // The folder writer writes the same files, byte for byte.
        var written = SweepReport.Write(data, folder);
        Assert.Equal(files.Keys.Select(name => Path.Combine(folder, name)), written);
        Assert.All(files, file => Assert.Equal(file.Value, File.ReadAllBytes(Path.Combine(folder, file.Key))));
    }

    [Fact]
    public void Text_from_the_sweep_is_shown_as_text_never_as_markup()
    {
        string hostile = "<script>alert('x')</script>";
        var trials = new[] { Finished(1, beta: 1, seed: 0), Failed(2, beta: 2, seed: 0, "\"><img src=x onerror=alert(1)>") };

        var written = SweepReport.Write(Data(trials, best: 1, name: hostile, spec: $"name: \"{hostile}\"\n</pre>{hostile}"), folder);

        using var page = ReportPage.Load(written[0]);
        page.AssertWellFormedWithEveryReferenceOnDisk();
        Assert.Empty(page.Document.QuerySelectorAll("script"));
        Assert.DoesNotContain(page.Document.QuerySelectorAll("img"), img => img.HasAttribute("onerror"));
        Assert.Equal($"Sweep {hostile}", page.Document.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain("different scales", page.Document.QuerySelector("#trials p")!.TextContent, StringComparison.Ordinal);
        Assert.EndsWith($"</pre>{hostile}", page.Document.QuerySelector("#spec pre")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_with_no_finished_trial_gets_a_page_that_says_so_without_charts()
    {
        var written = SweepReport.Write(Data([Pending(1, beta: 1, seed: 0), Pending(2, beta: 4, seed: 0)], best: null), folder);

        Assert.Equal([Path.Combine(folder, "index.html")], written);
        using var page = ReportPage.Load(written[0]);
        Assert.Empty(page.ParseErrors);
        Assert.Empty(page.Document.QuerySelectorAll("img"));
        Assert.Equal(2, page.TrialRows.Count);
        Assert.Contains("No trial has the sweep's metric yet", page.Document.QuerySelector("#best")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_best_figure_whose_name_is_a_path_is_refused()
    {
        var figure = Figure("../escape.png", 4, 4);

        Assert.Throws<ArgumentException>(() => SweepReport.Write(Data([Finished(1, beta: 1, seed: 0)], best: 1, [figure]), folder));
        Assert.False(File.Exists(Path.Combine(folder, "..", "escape.png")));
    }
}

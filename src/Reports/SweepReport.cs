using System.Text;
using SweepRunner.Common;
using SweepRunner.Plotting;

namespace SweepRunner.Reports;

/// <summary>
/// <c>sweep report</c>'s output: <c>index.html</c> and the PNGs it shows, written into one folder. The page has the
/// spec, the trials ranked by the sweep's metric, their test loss curves overlaid, the rate–distortion plane, the
/// spread over seeds, and the best trial's figures.
/// </summary>
public static class SweepReport
{
    public const string PageFileName = "index.html";
    public const string TestLossCurvesFileName = "test-loss-curves.png";
    public const string RateDistortionFileName = "rate-distortion.png";
    public const string SeedSpreadFileName = "seed-spread.png";
    public const string BestFiguresFolder = "best-trial";

    /// <summary>
    /// Renders the report in memory: its files by path relative to the report's folder (<c>/</c>-separated), the page
    /// (<see cref="PageFileName"/>) first, then the PNGs it shows, in that order.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> Render(SweepReportData data)
    {
        var (page, images) = RenderPage(data, image => image.RelativePath);
        var files = new OrderedDictionary<string, byte[]>(StringComparer.Ordinal) { [PageFileName] = Encoding.UTF8.GetBytes(page) };
        foreach (var image in images.All) files.Add(image.RelativePath, image.Png);
        return files;
    }

    /// <summary>
    /// Renders the report as one self-contained page, its images inside it as data URIs: what a server answers for a
    /// sweep's report without writing files.
    /// </summary>
    public static string RenderSelfContained(SweepReportData data) =>
        RenderPage(data, image => $"data:image/png;base64,{Convert.ToBase64String(image.Png)}").Page;

    private static (string Page, ReportImages Images) RenderPage(SweepReportData data, Func<ReportImage, string> imageSource)
    {
        ArgumentNullException.ThrowIfNull(data);
        var ranked = Rank(data);
        var keys = new SweptKeys([.. ranked.Select(t => t.Config)]);
        var seedGroups = SeedGroup.Of(ranked);
        var images = Draw(data, ranked, keys, seedGroups);
        return (new HtmlReport(data, ranked, keys, seedGroups, images, imageSource).Render(), images);
    }

    /// <summary>Renders the report into <paramref name="folder"/> (created if needed); returns the paths written, the page first.</summary>
    public static IReadOnlyList<string> Write(SweepReportData data, string folder)
    {
        var files = Render(data).Select(file => (Path: Path.GetFullPath(Path.Combine(folder, file.Key)), Content: file.Value)).ToList();
        // Images first, then the page: a page on disk never points at an image that is not there yet.
        foreach (var (path, content) in files.Skip(1).Append(files[0]))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, content);
        }
        return [.. files.Select(file => file.Path)];
    }

    /// <summary>The trials by the sweep's metric (best first, those without it last), ties by trial number.</summary>
    internal static IReadOnlyList<TrialView> Rank(SweepReportData data)
    {
        var views = data.Trials.Select(t => new TrialView(t, data.Sweep.Metric)).ToList();
        bool maximize = string.Equals(data.Sweep.Goal, nameof(MetricGoal.Maximize), StringComparison.OrdinalIgnoreCase);
        var withMetric = views.Where(v => v.MetricValue is not null);
        var ordered = maximize ? withMetric.OrderByDescending(v => v.MetricValue) : withMetric.OrderBy(v => v.MetricValue);
        return [.. ordered.ThenBy(v => v.Trial.Number), .. views.Where(v => v.MetricValue is null).OrderBy(v => v.Trial.Number)];
    }

    private static ReportImages Draw(SweepReportData data, IReadOnlyList<TrialView> trials, SweptKeys keys, IReadOnlyList<SeedGroup> seedGroups)
    {
        var bestFigures = data.BestFigures
            .Select(figure => Path.GetFileName(figure.Name) == figure.Name && figure.Name is not ("." or "..")
                ? ReportImage.Of($"{BestFiguresFolder}/{figure.Name}", figure.Png)
                : throw new ArgumentException($"figure name {figure.Name} is not a plain file name", nameof(data)))
            .ToList();
        if (trials.Count == 0) return new ReportImages(null, null, null, bestFigures);

        var colors = new BetaColors(trials.Select(t => t.Beta));
        return new ReportImages(
            trials.Any(t => t.Trial.Epochs.Count > 0) ? ReportImage.Of(TestLossCurvesFileName, SweepCharts.TestLossCurves(trials, colors)) : null,
            trials.Any(t => t.Trial is { TestKl: not null, TestRecon: not null }) ? ReportImage.Of(RateDistortionFileName, SweepCharts.RateDistortion(trials, colors)) : null,
            seedGroups.Count > 0 ? ReportImage.Of(SeedSpreadFileName, SweepCharts.SeedSpreadChart(seedGroups, keys)) : null,
            bestFigures);
    }
}

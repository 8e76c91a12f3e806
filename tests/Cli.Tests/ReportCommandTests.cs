using System.Text.Json.Nodes;
using SweepRunner.Plotting;
using SweepRunner.Tests.Images;
using SweepRunner.Tests.Reports;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// A small real sweep (β ∈ {1, 4} × seeds {0, 1}, two epochs on 300 images) run once by <c>sweep run</c>, whose
/// report is then written again from its database and from a coordinator serving that database.
/// </summary>
public sealed class ReportedSweep : IAsyncLifetime
{
    public const string Spec = """
        name: report-test
        method: grid
        metric:
          name: test.total
          goal: minimize
        epochs: 2
        train_limit: 300
        parameters:
          beta:
            values: [1, 4]
          seed:
            values: [0, 1]
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("sweeprunner-report-").FullName;

    public string Database => Folder("store.db");

    public Guid SweepId { get; private set; }

    /// <summary>The page <c>sweep run</c> wrote at the end of the sweep.</summary>
    public string RunReport { get; private set; } = "";

    public string Folder(string name) => Path.Combine(folder, name);

    public async Task InitializeAsync()
    {
        string spec = Folder("sweep.yaml");
        await File.WriteAllTextAsync(spec, Spec);
        var result = await Sweep.RunAsync("run", spec, "--workers", "2", "--db", Database, "--json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        var run = JsonNode.Parse(result.Output)!;
        SweepId = Guid.Parse((string)run["sweep_id"]!);
        RunReport = (string)run["report"]!;
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(TrainingGroup.Name)]
public sealed class ReportCommandTests(ReportedSweep sweep) : IClassFixture<ReportedSweep>
{
    private static readonly string[] BestFigures = ["best-trial/latent-scatter.png", "best-trial/loss-curves.png", "best-trial/manifold.png", "best-trial/samples.png"];

    [Fact]
    public void Sweep_run_writes_a_report_with_a_row_per_trial_the_seed_spread_and_the_best_trials_figures()
    {
        Assert.Equal(Path.Combine(Path.GetDirectoryName(sweep.Database)!, "sweeps", sweep.SweepId.ToString(), "report", "index.html"), sweep.RunReport);
        using var page = ReportPage.Load(sweep.RunReport);

        page.AssertWellFormedWithEveryReferenceOnDisk();
        Assert.Equal([1, 2, 3, 4], page.TrialNumbers.Order());
        Assert.All(page.TrialRows, row => Assert.Contains("completed", row.TextContent, StringComparison.Ordinal));
        Assert.Equal(2, page.Document.QuerySelectorAll("#seed-table tbody tr").Length);
        Assert.Equal(BestFigures, page.Document.QuerySelectorAll("#best img").Select(img => img.GetAttribute("src")!).Order(StringComparer.Ordinal));
        foreach (var chart in new[] { "#loss-curves img", "#rate-distortion img", "#seeds img" }) Assert.NotNull(page.Document.QuerySelector(chart));
    }

    [Fact]
    public async Task Report_from_the_database_is_the_page_sweep_run_wrote_and_renders_in_chromium()
    {
        string folder = sweep.Folder("from-db");

        var result = await Sweep.RunAsync("report", sweep.SweepId.ToString(), "--db", sweep.Database, "--out", folder);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        string page = Path.Combine(folder, "index.html");
        Assert.Contains($"report: {page} (4 trials, 7 images)", result.Output, StringComparison.Ordinal);
        AssertSameFiles(Path.GetDirectoryName(sweep.RunReport)!, folder);

        using var screenshot = new DecodedPng(await HeadlessChromium.ScreenshotAsync(page, 1400, 2400));
        Assert.Equal((1400, 2400), (screenshot.Width, screenshot.Height));
        Assert.True(screenshot.GreyVariance() > 500, $"grey-level variance {screenshot.GreyVariance()}: the page looks blank");
        // Text alone is black on white; the charts' β colours and the highlighted best row show that the images and the style loaded.
        var whole = new Plotting.FigureFrame(screenshot.Width, screenshot.Height, 0, 0, screenshot.Width, screenshot.Height);
        int coloured = screenshot.Pixels(whole).Count(c => Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60);
        Assert.True(coloured > 2000, $"only {coloured} coloured pixels: the charts did not render");
    }

    [Fact]
    public async Task Report_from_a_coordinator_is_the_same_as_from_its_database()
    {
        string fromDb = sweep.Folder("compare-db"), fromApi = sweep.Folder("compare-api");
        var local = await Sweep.RunAsync("report", sweep.SweepId.ToString(), "--db", sweep.Database, "--out", fromDb, "--json");
        Assert.True(local.ExitCode == ExitCodes.Ok, local.Error + local.Output);

        var coordinator = InProcessCoordinator.Over(sweep.Database);
        await coordinator.InitializeAsync();
        try
        {
            var remote = await Sweep.RunAsync("report", sweep.SweepId.ToString(), "--coordinator", coordinator.Url, "--out", fromApi, "--json");

            Assert.True(remote.ExitCode == ExitCodes.Ok, remote.Error + remote.Output);
            Assert.Equal(Path.Combine(fromApi, "index.html"), (string)JsonNode.Parse(remote.Output)!["page"]!);
            AssertSameFiles(fromDb, fromApi);
        }
        finally
        {
            await coordinator.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unknown_sweep_or_a_missing_database_exits_3_and_creates_nothing()
    {
        string folder = sweep.Folder("never"), missing = sweep.Folder("missing.db");

        var unknown = await Sweep.RunAsync("report", Guid.NewGuid().ToString(), "--db", sweep.Database, "--out", folder);
        var noFile = await Sweep.RunAsync("report", sweep.SweepId.ToString(), "--db", missing, "--out", folder);

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.StartsWith("error: no sweep ", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, noFile.ExitCode);
        Assert.Equal($"error: --db: no database file {missing}", noFile.Error.Trim());
        Assert.False(File.Exists(missing));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Out_is_required()
    {
        var result = await Sweep.RunAsync("report", sweep.SweepId.ToString(), "--db", sweep.Database);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--out", result.Error, StringComparison.Ordinal);
    }

    private static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        static string[] Files(string folder) => [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
        Assert.Equal(Files(expectedFolder), Files(actualFolder));
        foreach (var file in Files(expectedFolder))
            Assert.True(File.ReadAllBytes(Path.Combine(expectedFolder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualFolder, file))), $"{file} differs");
    }
}

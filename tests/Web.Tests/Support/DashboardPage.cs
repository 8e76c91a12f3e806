using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SweepRunner.Tests.Images;

namespace SweepRunner.Web.Tests.Support;

/// <summary>
/// One browser tab on the dashboard, in a context of its own (light scheme, a fixed viewport), collecting every
/// console error or warning and uncaught page error it sees.
/// </summary>
public sealed partial class DashboardPage : IAsyncDisposable
{
    /// <summary>Grey-level variance below which a screenshot counts as blank (a bare page scores near 0; a rendered one, hundreds).</summary>
    public const double BlankVariance = 50;

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    private readonly IBrowserContext context;
    private readonly ITestOutputHelper output;
    private readonly ConcurrentQueue<string> consoleProblems = new();

    private DashboardPage(IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        this.context = context;
        this.output = output;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && !IsValidationAnswer(message))
                consoleProblems.Enqueue($"{message.Type} at {page.Url}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => consoleProblems.Enqueue($"page error at {page.Url}: {error}");
    }

    public IPage Page { get; }

    /// <summary>The console errors and warnings and the uncaught errors so far.</summary>
    public IReadOnlyList<string> ConsoleProblems => [.. consoleProblems];

    public static async Task<DashboardPage> CreateAsync(IBrowser browser, ITestOutputHelper output)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 900 },
            ColorScheme = ColorScheme.Light,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout((float)LoadTimeout.TotalMilliseconds);
        return new DashboardPage(context, await context.NewPageAsync(), output);
    }

    public async Task GoToAsync(string url)
    {
        await Page.GotoAsync(url);
    }

    /// <summary>Waits until the page of kind <paramref name="name"/> (sweeps, sweep, trial, compare, submit) showed its first data.</summary>
    public Task WaitForLoadedAsync(string name) =>
        Assertions.Expect(Page.Locator($"main[data-page={name}][data-loaded=true]")).ToHaveCountAsync(1, new() { Timeout = (float)LoadTimeout.TotalMilliseconds });

    public ILocator Locator(string selector) => Page.Locator(selector);

    public void AssertConsoleClean() => Assert.True(consoleProblems.IsEmpty, "console problems:\n" + string.Join('\n', consoleProblems));

    /// <summary>
    /// Takes a screenshot of the viewport, checks it is not blank and keeps it as a test artifact named
    /// <paramref name="name"/>.png (its path printed); returns where it was written.
    /// </summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        // Let charts finish their entry animation before the picture.
        await Page.WaitForTimeoutAsync(1200);
        byte[] png = await Page.ScreenshotAsync(new() { Type = ScreenshotType.Png });
        string path = Path.Combine(TestArtifacts.Screenshots(), name + ".png");
        await File.WriteAllBytesAsync(path, png);
        output.WriteLine($"screenshot: {path}");
        using var decoded = new DecodedPng(png);
        double variance = decoded.GreyVariance();
        Assert.True(variance > BlankVariance, $"screenshot {path} looks blank: grey variance {variance:F1} ≤ {BlankVariance}");
        return path;
    }

    /// <summary>
    /// Chromium logs every 4xx answer to a fetch as a console error, and POST /api/sweeps/validate answers a bad file
    /// with 400 and its errors by contract: that one is the page working, not failing.
    /// </summary>
    private static bool IsValidationAnswer(IConsoleMessage message) =>
        message.Type == "error"
        && message.Text.StartsWith("Failed to load resource: the server responded with a status of 400", StringComparison.Ordinal)
        && ValidateLocation().IsMatch(message.Location);

    // The location of a network message: the request's URL, then ":line:column" (0:0).
    [GeneratedRegex(@"^https?://[^/]+/api/sweeps/validate(\?[^:]*)?:\d+:\d+$")]
    private static partial Regex ValidateLocation();

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}

using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

/// <summary>
/// Every page of the finished sweep: rendered without console errors or warnings, and a screenshot that is not blank,
/// kept as ui-PAGE.png (scripts/ui-screenshots.sh copies these into docs/figures).
/// </summary>
[Collection(DashboardGroup.Name)]
[Trait("Category", "Screenshots")]
public sealed class PageScreenshotTests(DashboardCluster cluster, ITestOutputHelper output)
{
    [Theory]
    [InlineData("sweeps")]
    [InlineData("sweep")]
    [InlineData("trial")]
    [InlineData("compare")]
    [InlineData("submit")]
    public async Task The_page_renders_without_console_problems_and_its_screenshot_is_not_blank(string name)
    {
        await cluster.SweepFinishedAsync();
        await using var page = await cluster.OpenAsync(await RouteAsync(name), output);
        await page.WaitForLoadedAsync(name);
        if (name == "submit") await page.Locator("textarea[data-testid=spec-input]").FillAsync(DashboardCluster.SweepYaml);

        await page.ScreenshotAsync($"ui-{name}");
        page.AssertConsoleClean();
    }

    private async Task<string> RouteAsync(string name)
    {
        var trialIds = await cluster.TrialIdsAsync();
        return name switch
        {
            "sweeps" => "#/",
            "sweep" => $"#/sweeps/{cluster.SweepId}",
            "trial" => $"#/trials/{(string)(await cluster.GetJsonAsync($"api/sweeps/{cluster.SweepId}"))["best"]!["id"]!}",
            "compare" => $"#/compare?trials={string.Join(',', trialIds)}",
            "submit" => "#/submit",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a dashboard page"),
        };
    }
}

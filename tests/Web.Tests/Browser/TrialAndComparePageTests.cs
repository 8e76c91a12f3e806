using System.Globalization;
using Microsoft.Playwright;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

[Collection(DashboardGroup.Name)]
public sealed class TrialAndComparePageTests(DashboardCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_trial_page_shows_its_epochs_kl_per_dimension_figures_and_checkpoint()
    {
        await cluster.SweepFinishedAsync();
        string trialId = (await cluster.TrialIdsAsync())[0];
        var detail = await cluster.GetJsonAsync($"api/trials/{trialId}");
        int dims = detail["epochs"]!.AsArray().Last(epoch => epoch!["kl_per_dimension"] is not null)!["kl_per_dimension"]!.AsArray().Count;
        var figures = (await cluster.GetJsonAsync($"api/trials/{trialId}/figures")).AsArray().Select(figure => (string)figure!["name"]!).ToList();
        Assert.NotEmpty(figures);

        await using var page = await cluster.OpenAsync($"#/trials/{trialId}", output);
        await page.WaitForLoadedAsync("trial");
        await Assertions.Expect(page.Locator("[data-testid=epochs-table]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=kl-dims-chart]")).ToHaveAttributeAsync("data-dims", dims.ToString(CultureInfo.InvariantCulture));
        foreach (string figure in figures)
            await AssertImageLoadedAsync(page.Locator($"[data-testid=figures] img[data-figure='{figure}']"));
        await Assertions.Expect(page.Locator("[data-testid=trial-logs]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("a[data-testid=checkpoint-link]")).ToHaveAttributeAsync("href", $"/api/trials/{trialId}/checkpoint");
        page.AssertConsoleClean();
    }

    [Fact]
    public async Task The_compare_page_draws_a_series_and_figures_for_each_trial()
    {
        await cluster.SweepFinishedAsync();
        var trialIds = await cluster.TrialIdsAsync();

        await using var page = await cluster.OpenAsync($"#/compare?trials={string.Join(',', trialIds)}", output);
        await page.WaitForLoadedAsync("compare");
        await Assertions.Expect(page.Locator("[data-testid=compare-chart]")).ToHaveAttributeAsync("data-series-count", trialIds.Count.ToString(CultureInfo.InvariantCulture));
        var images = page.Locator("[data-testid=compare-figures] img");
        await Assertions.Expect(images.Nth(trialIds.Count - 1)).ToBeVisibleAsync();
        for (int i = 0; i < await images.CountAsync(); i++) await AssertImageLoadedAsync(images.Nth(i));
        page.AssertConsoleClean();
    }

    private static async Task AssertImageLoadedAsync(ILocator image)
    {
        await Assertions.Expect(image).ToHaveCountAsync(1);
        await image.ScrollIntoViewIfNeededAsync();
        // A decoded picture has a natural width; a broken or unloaded one has none.
        await Assertions.Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, $"{image} did not load");
    }
}

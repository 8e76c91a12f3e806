using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Playwright;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

/// <summary>The sweep page's charts and best trial against what the API serves, once the sweep finished.</summary>
[Collection(DashboardGroup.Name)]
public sealed class SweepPageChartsTests(DashboardCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_loss_chart_has_one_series_per_trial_with_epochs()
    {
        await cluster.SweepFinishedAsync();
        var curves = await cluster.GetJsonAsync($"api/sweeps/{cluster.SweepId}/curves");
        int withEpochs = curves["trials"]!.AsArray().Count(trial => trial!["epochs"]!.AsArray().Count > 0);
        Assert.Equal(3, withEpochs);

        await using var page = await cluster.OpenAsync($"#/sweeps/{cluster.SweepId}", output);
        await page.WaitForLoadedAsync("sweep");
        await Assertions.Expect(page.Locator("[data-testid=loss-chart]")).ToHaveAttributeAsync("data-series-count", Count(withEpochs));
        page.AssertConsoleClean();
    }

    [Fact]
    public async Task The_rate_distortion_plane_has_one_point_per_finished_trial()
    {
        await cluster.SweepFinishedAsync();
        var points = await cluster.GetJsonAsync($"api/sweeps/{cluster.SweepId}/points");
        int finished = points["points"]!.AsArray().Count;
        Assert.Equal(3, finished);

        await using var page = await cluster.OpenAsync($"#/sweeps/{cluster.SweepId}", output);
        await page.WaitForLoadedAsync("sweep");
        await Assertions.Expect(page.Locator("[data-testid=rd-chart]")).ToHaveAttributeAsync("data-point-count", Count(finished));
        page.AssertConsoleClean();
    }

    [Fact]
    public async Task The_best_trials_checkpoint_link_downloads_the_bytes_whose_sha256_the_api_names()
    {
        await cluster.SweepFinishedAsync();
        var detail = await cluster.GetJsonAsync($"api/sweeps/{cluster.SweepId}");
        string bestId = (string)detail["best"]!["id"]!;
        string stored = (string)(await cluster.GetJsonAsync($"api/trials/{bestId}"))["checkpoint"]!["sha256"]!;
        var (_, response) = await cluster.GetBytesAsync($"api/trials/{bestId}/checkpoint");
        using (response) Assert.Equal(stored, Assert.Single(response.Headers.GetValues("X-Checkpoint-Sha256")));

        await using var page = await cluster.OpenAsync($"#/sweeps/{cluster.SweepId}", output);
        await page.WaitForLoadedAsync("sweep");
        var link = page.Locator($"[data-testid=best-trial] a[data-testid=checkpoint-link][href='/api/trials/{bestId}/checkpoint'][download]");
        var download = await page.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        byte[] bytes = await File.ReadAllBytesAsync(await download.PathAsync());

        Assert.NotEmpty(bytes);
        Assert.Equal(stored, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        page.AssertConsoleClean();
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}

using Microsoft.Playwright;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

[Collection(DashboardGroup.Name)]
public sealed class SweepsPageTests(DashboardCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_list_shows_the_submitted_sweep_and_its_row_opens_the_sweep_page()
    {
        await using var page = await cluster.OpenAsync("#/", output);
        await page.WaitForLoadedAsync("sweeps");

        var row = page.Locator($"table[data-testid=sweeps-table] tbody tr[data-sweep-id='{cluster.SweepId}']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.Locator($"a[href='#/sweeps/{cluster.SweepId}']").First.ClickAsync();
        await page.WaitForLoadedAsync("sweep");
        Assert.EndsWith($"#/sweeps/{cluster.SweepId}", page.Page.Url, StringComparison.Ordinal);
        page.AssertConsoleClean();
    }
}

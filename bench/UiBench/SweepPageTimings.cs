using Microsoft.Playwright;

namespace SweepRunner.Bench;

/// <summary>What one visit of the sweep page measures, in milliseconds.</summary>
internal sealed record SweepPageVisit(double FirstRender, double Sort, double NextPage, int RowsShown, int PointsDrawn);

/// <summary>
/// Opens the sweep page in a fresh browser context and times it as the user sees it: navigation start until the page
/// says it is loaded and every chart is marked drawn, then a click on a column header and on Next until the table's
/// first row is another trial.
/// </summary>
internal sealed class SweepPageTimings(IBrowser browser, Uri api, Guid sweepId)
{
    // performance.now() counts from the navigation's start.
    private const string WhenDrawn = """
        () => document.querySelector('main[data-page=sweep][data-loaded=true]')
           && document.querySelector('[data-testid=loss-chart][data-series-count]')
           && document.querySelector('[data-testid=rd-chart][data-point-count]')
           && document.querySelector('[data-testid=parallel-chart][data-line-count]')
           && document.querySelector('table[data-testid=trial-table] tbody tr[data-trial-id]')
           ? performance.now() : null
        """;

    // What of WhenDrawn's conditions the page meets: for a page that never gets there.
    private const string Marks = """
        () => ['main[data-loaded=true]', '[data-testid=loss-chart][data-series-count]', '[data-testid=rd-chart][data-point-count]',
               '[data-testid=parallel-chart][data-line-count]', 'table[data-testid=trial-table] tbody tr[data-trial-id]']
          .map(selector => selector + ': ' + (document.querySelector(selector) ? 'yes' : 'no')).join(', ')
        """;

    // Clicks SELECTOR and resolves with the milliseconds until the table's first row is another trial.
    private const string TimeClick = """
        selector => new Promise((resolve, reject) => {
          const firstRow = () => document.querySelector('table[data-testid=trial-table] tbody tr[data-trial-id]')?.dataset.trialId;
          const before = firstRow();
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (firstRow() !== before) { observer.disconnect(); resolve(performance.now() - start); }
          });
          observer.observe(document.querySelector('table[data-testid=trial-table]'), { subtree: true, childList: true, attributes: true });
          setTimeout(() => { observer.disconnect(); reject(new Error(selector + ': the first row did not change within 30 s')); }, 30000);
          document.querySelector(selector).click();
        })
        """;

    public async Task<SweepPageVisit> VisitAsync()
    {
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync(new Uri(api, $"/#/sweeps/{sweepId}").ToString());
        double firstRender;
        try
        {
            var drawn = await page.WaitForFunctionAsync(WhenDrawn, null, new() { PollingInterval = 5, Timeout = 120_000 });
            firstRender = await drawn.JsonValueAsync<double>();
        }
        catch (TimeoutException)
        {
            string marks = await page.EvaluateAsync<string>(Marks);
            throw new TimeoutException($"the sweep page was not drawn within 2 minutes; its marks: {marks}; console: {string.Join(" | ", problems)}");
        }
        double sort = await page.EvaluateAsync<double>(TimeClick, "th[data-sort=test_total]");
        double nextPage = await page.EvaluateAsync<double>(TimeClick, "[data-testid=table-next]");
        int rows = await page.Locator("table[data-testid=trial-table] tbody tr[data-trial-id]").CountAsync();
        int points = int.Parse(await page.Locator("[data-testid=rd-chart]").GetAttributeAsync("data-point-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        return new SweepPageVisit(firstRender, sort, nextPage, rows, points);
    }
}

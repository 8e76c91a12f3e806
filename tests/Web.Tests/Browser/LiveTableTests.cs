using Microsoft.Playwright;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

/// <summary>The sweep page follows a running sweep by itself: no reload, rows turn completed as the worker ends trials.</summary>
[Collection(DashboardGroup.Name)]
public sealed class LiveTableTests(DashboardCluster cluster, ITestOutputHelper output)
{
    // A sweep of its own, submitted once the page could be open: its trials end while the test watches, whatever ran before.
    private const string TwoTrials =
        "name: live\nmethod: grid\nepochs: 1\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [3, 5]\n  seed:\n    value: 0\n";

    [Fact]
    public async Task The_trial_table_gains_completed_rows_as_trials_finish_without_a_reload()
    {
        var sweepId = await cluster.SubmitAsync(TwoTrials);
        await using var page = await cluster.OpenAsync($"#/sweeps/{sweepId}", output);
        await page.WaitForLoadedAsync("sweep");
        // A reload would lose this mark.
        await page.Page.EvaluateAsync("() => { window.__noReload = 1; }");

        var rows = page.Locator("table[data-testid=trial-table] tbody tr[data-trial-id]");
        var completed = page.Locator("table[data-testid=trial-table] tbody tr[data-trial-id][data-status=completed]");
        List<int> seen = [await completed.CountAsync()];
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (seen[^1] < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"completed rows seen: {string.Join(", ", seen)}\n{cluster.Output}");
            await Task.Delay(250);
            int count = await completed.CountAsync();
            if (count != seen[^1]) seen.Add(count);
        }

        output.WriteLine($"completed rows seen: {string.Join(" → ", seen)}");
        Assert.True(seen.Count >= 2 && seen[0] < seen[^1], $"the completed rows never grew while the page was open: {string.Join(", ", seen)}");
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => window.__noReload"));
        page.AssertConsoleClean();
    }
}

using Microsoft.Playwright;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Browser;

[Collection(DashboardGroup.Name)]
public sealed class SubmitPageTests(DashboardCluster cluster, ITestOutputHelper output)
{
    // Line 8 sets a latent dimension below 1.
    private const string BadLatentDim =
        "name: bad\nmethod: grid\nepochs: 1\nparameters:\n  model:\n    value: mlp\n  latent_dim:\n    value: 0\n";
    private const int BadLine = 8;

    [Fact]
    public async Task A_bad_file_shows_its_error_with_the_line_number_and_cannot_be_submitted()
    {
        await using var page = await cluster.OpenAsync("#/submit", output);
        await page.WaitForLoadedAsync("submit");
        await page.Locator("textarea[data-testid=spec-input]").FillAsync(BadLatentDim);

        var error = page.Locator($"ul[data-testid=spec-errors] li[data-line='{BadLine}']");
        await Assertions.Expect(error).ToHaveCountAsync(1);
        await Assertions.Expect(error).ToContainTextAsync($"line {BadLine}");
        await Assertions.Expect(page.Locator("button[data-testid=submit]")).ToBeDisabledAsync();
        page.AssertConsoleClean();
    }
}

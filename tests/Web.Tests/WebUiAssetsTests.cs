using SweepRunner.WebUi;

namespace SweepRunner.Web.Tests;

public sealed class WebUiAssetsTests
{
    [Fact]
    public void The_build_embeds_the_page_its_script_and_its_style_sheet()
    {
        Assert.Superset(new HashSet<string> { "index.html", "app.js", "app.css" }, WebUiAssets.Names.ToHashSet());
        var page = WebUiAssets.Find("index.html")!;
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        Assert.Contains("/ui/app.js", System.Text.Encoding.UTF8.GetString(page.Bytes), StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{64}\"$", page.ETag);
    }

    [Fact]
    public void An_unknown_name_is_not_an_asset() => Assert.Null(WebUiAssets.Find("../WebUi.csproj"));
}

using System.Net;
using System.Net.Http.Headers;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Web.Tests.Server;

/// <summary>One coordinator with the dashboard, open to reads, shared by the tests of a class (a silo takes seconds to start).</summary>
public sealed class OpenWebServer : IAsyncLifetime
{
    public WebServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The dashboard as the coordinator serves it: its page and script with ETags, and a sweep's report.</summary>
public sealed class WebUiServerTests(OpenWebServer open) : IClassFixture<OpenWebServer>
{
    private const string SweepFile = "name: web-report-sweep\nmethod: grid\nparameters:\n  beta:\n    values: [1, 4]\n";

    [Fact]
    public async Task The_report_of_a_sweep_is_one_html_page_with_its_name_and_an_unknown_sweep_is_a_404_problem()
    {
        var server = open.Server;
        var id = await server.SubmitAsync(SweepFile);

        using var report = await server.Client.GetAsync($"/api/sweeps/{id}/report");
        using var unknown = await server.Client.GetAsync($"/api/sweeps/{Guid.NewGuid()}/report");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        string html = await report.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>web-report-sweep: sweep report</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"best-trial/", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var problem = System.Text.Json.JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.StartsWith("no sweep ", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "text/html", "/ui/app.js")]
    [InlineData("/ui/app.js", "text/javascript", "")]
    [InlineData("/ui/app.css", "text/css", "")]
    public async Task The_page_and_its_files_carry_a_strong_etag_and_answer_304_to_it(string path, string mediaType, string contains)
    {
        var server = open.Server;

        using var first = await server.Client.GetAsync(path);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var cached = await server.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Matches("^\"[0-9a-f]{64}\"$", first.Headers.ETag.Tag);
        Assert.True(first.Headers.CacheControl?.NoCache);
        Assert.Contains(contains, await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task With_a_token_for_reads_the_page_stays_open_while_the_api_and_the_report_need_the_token()
    {
        const string Token = "web-s3cret";
        await using var server = await WebServer.StartAsync(new Dictionary<string, string?>
        {
            [CoordinatorApiHostingExtensions.TokenKey] = Token,
            [CoordinatorApiHostingExtensions.RequireTokenForReadsKey] = "true",
        });
        var id = await server.SubmitAsync(SweepFile, Token);

        using var page = await server.Client.GetAsync("/");
        using var script = await server.Client.GetAsync("/ui/app.js");
        using var sweeps = await server.Client.GetAsync("/api/sweeps");
        using var report = await server.Client.GetAsync($"/api/sweeps/{id}/report");
        using var withToken = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{id}/report");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var signedIn = await server.Client.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, sweeps.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, report.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }
}

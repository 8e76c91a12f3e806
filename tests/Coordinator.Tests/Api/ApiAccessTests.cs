using System.Net;
using System.Net.Http.Json;
using SweepRunner.Coordinator.Api;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>The access rules on a real Kestrel: the token where the server is reachable, the origin of changes, the token for reads, browser sessions.</summary>
public sealed class ApiAccessTests
{
    private const string Grid = "method: grid\nparameters:\n  beta:\n    value: 1\n";
    private const string Token = "s3cret-token";

    private static readonly Dictionary<string, string?> TokenForReads = new() { [CoordinatorApiHostingExtensions.RequireTokenForReadsKey] = "true" };

    [Fact]
    public async Task On_an_address_other_hosts_reach_a_post_needs_the_bearer_token_and_a_get_does_not()
    {
        await using var server = await ApiServer.StartAsync("http://0.0.0.0:0", token: Token);

        using var anonymous = await server.SubmitAsync(Grid);
        using var wrong = await server.SubmitAsync(Grid, token: "s3cret-tokem");
        using var right = await server.SubmitAsync(Grid, token: Token);
        using var read = await server.Client.GetAsync("/api/sweeps");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(1, await server.StoredSweepCountAsync());
    }

    [Fact]
    public async Task A_kestrel_endpoint_beyond_loopback_with_a_token_starts_and_a_post_without_it_is_401()
    {
        await using var server = await ApiServer.StartAsync(url: null, Token, new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0" });

        using var anonymous = await server.SubmitAsync(Grid);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:0", "http://0.0.0.0:0")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:0", "http://0.0.0.0:0")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://10.1.2.3:5080", "http://10.1.2.3:5080")]
    [InlineData("http_ports", "0", "http://*:0")]
    [InlineData("https_ports", "0", "https://*:0")]
    public async Task Every_source_of_addresses_beyond_loopback_without_a_token_is_refused(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiServer.StartAsync(url: null, settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Equal(
            $"the API would listen on {named}, which other hosts can reach; set a token (Api:Token or Api:TokenFile, environment Api__Token or Api__TokenFile) or listen on 127.0.0.1",
            ex.Message);
    }

    [Fact]
    public async Task Ports_that_urls_override_are_not_listened_on_and_need_no_token()
    {
        await using var server = await ApiServer.StartAsync(settings: new Dictionary<string, string?> { ["http_ports"] = "8080" });

        Assert.True(server.Service<ApiAccess>().LoopbackOnly);
        Assert.All(server.App.Urls, url => Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    public void Loopback_addresses_are_told_from_the_others(string url, bool loopback) => Assert.Equal(loopback, ApiAccess.IsLoopback(url));

    [Fact]
    public async Task On_loopback_a_change_from_the_apis_own_origin_or_from_no_browser_is_allowed()
    {
        await using var server = await ApiServer.StartAsync();

        using var curl = await server.SubmitAsync(Grid);
        using var ownPage = await SubmitFromAsync(server, ("Origin", server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)), ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.Created, curl.StatusCode);
        Assert.Equal(HttpStatusCode.Created, ownPage.StatusCode);
        Assert.Equal(2, await server.StoredSweepCountAsync());
    }

    [Fact]
    public async Task A_change_asked_for_by_a_page_of_another_origin_is_refused_even_with_a_live_session()
    {
        await using var server = await ApiServer.StartAsync("http://0.0.0.0:0", Token);
        using var session = await server.Client.PostAsJsonAsync(SessionApi.Path, new SessionRequest(Token), ApiJson.Options);
        string cookie = session.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var id = await server.SubmitValidAsync(Grid, Token);

        using var cancel = await SendFromAsync(server, HttpMethod.Post, $"/api/sweeps/{id}/cancel", ("Origin", "https://evil.example"), ("Cookie", cookie));

        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Equal($"a change requested by a web page of another origin (Origin: https://evil.example; this API is {server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}) is refused", await DetailAsync(cancel));
        Assert.Equal("running", (await server.Client.GetFromJsonAsync<SweepDetail>($"/api/sweeps/{id}", ApiJson.Options))!.Sweep.Status);
    }

    [Fact]
    public async Task A_session_cookie_stands_for_the_token_until_the_session_ends()
    {
        await using var server = await ApiServer.StartAsync(token: Token, settings: TokenForReads);

        using var wrong = await server.Client.PostAsJsonAsync(SessionApi.Path, new SessionRequest("guess"), ApiJson.Options);
        using var started = await server.Client.PostAsJsonAsync(SessionApi.Path, new SessionRequest(Token), ApiJson.Options);
        string setCookie = started.Headers.GetValues("Set-Cookie").Single();
        string cookie = setCookie.Split(';')[0];
        using var withCookie = await SendFromAsync(server, HttpMethod.Get, "/api/sweeps", ("Cookie", cookie));
        var state = await GetSessionAsync(server, cookie);
        using var ended = await SendFromAsync(server, HttpMethod.Delete, SessionApi.Path, ("Cookie", cookie));
        using var afterwards = await SendFromAsync(server, HttpMethod.Get, "/api/sweeps", ("Cookie", cookie));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
        Assert.StartsWith($"{ApiSessions.CookieName}=", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Equal(new SessionDocument(TokenRequiredForReads: true, TokenRequiredForChanges: false, Authenticated: true), state);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task With_the_token_required_for_reads_only_the_probes_and_the_session_are_open()
    {
        await using var server = await ApiServer.StartAsync(token: Token, settings: TokenForReads);

        using var sweeps = await server.Client.GetAsync("/api/sweeps");
        using var openApi = await server.Client.GetAsync("/openapi/v1.json");
        using var bearer = await SendFromAsync(server, HttpMethod.Get, "/api/sweeps", ("Authorization", $"Bearer {Token}"));
        var state = await GetSessionAsync(server, cookie: null);

        Assert.Equal(HttpStatusCode.Unauthorized, sweeps.StatusCode);
        Assert.Equal($"this server needs its token for reads too: send Authorization: Bearer <Api:Token>, or sign in with POST {SessionApi.Path}", await DetailAsync(sweeps));
        Assert.Equal("Bearer", sweeps.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, openApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(new SessionDocument(TokenRequiredForReads: true, TokenRequiredForChanges: false, Authenticated: false), state);
    }

    [Fact]
    public async Task The_token_can_come_from_a_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, $"{Token}\n");
            await using var server = await ApiServer.StartAsync("http://0.0.0.0:0", settings: new Dictionary<string, string?> { [CoordinatorApiHostingExtensions.TokenFileKey] = file });

            using var right = await server.SubmitAsync(Grid, token: Token);

            Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Sessions_end_when_they_expire_and_the_oldest_goes_when_there_are_too_many()
    {
        var clock = new ManualClock();
        var sessions = new ApiSessions(clock);
        string first = sessions.Start();
        clock.Advance(TimeSpan.FromMinutes(1));
        for (int i = 1; i < ApiSessions.MaxSessions; i++) sessions.Start();

        Assert.True(sessions.IsLive(first));
        string last = sessions.Start();
        Assert.False(sessions.IsLive(first));
        clock.Advance(ApiSessions.Lifetime);
        Assert.False(sessions.IsLive(last));
        Assert.False(sessions.IsLive(null));
    }

    internal static Task<HttpResponseMessage> SubmitFromAsync(ApiServer server, params (string Name, string Value)[] headers) =>
        SendFromAsync(server, HttpMethod.Post, "/api/sweeps?file=test.yaml", headers, new StringContent(Grid, System.Text.Encoding.UTF8, "text/yaml"));

    internal static Task<HttpResponseMessage> SendFromAsync(ApiServer server, HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        SendFromAsync(server, method, path, headers, content: null);

    internal static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];

    private static async Task<HttpResponseMessage> SendFromAsync(ApiServer server, HttpMethod method, string path, (string Name, string Value)[] headers, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await server.Client.SendAsync(request);
    }

    private static async Task<SessionDocument?> GetSessionAsync(ApiServer server, string? cookie)
    {
        using var response = cookie is null ? await server.Client.GetAsync(SessionApi.Path) : await SendFromAsync(server, HttpMethod.Get, SessionApi.Path, ("Cookie", cookie));
        return await response.Content.ReadFromJsonAsync<SessionDocument>(ApiJson.Options);
    }
}

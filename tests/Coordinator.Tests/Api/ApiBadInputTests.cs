using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>
/// The bad requests of the bad-input catalogue (docs/reliability.md) on a real Kestrel: each is answered with its status and message, and
/// leaves the store as it was (no sweep added).
/// </summary>
public sealed class ApiBadInputTests
{
    private const string Grid = "method: grid\nparameters:\n  beta:\n    value: 1\n";

    [Theory]
    [InlineData("Origin", "http://evil.example", "a change requested by a web page of another origin (Origin: http://evil.example; this API is {0}) is refused")]
    [InlineData("Origin", "null", "a change requested by a web page of another origin (Origin: null; this API is {0}) is refused")]
    [InlineData("Sec-Fetch-Site", "cross-site", "a change requested by a web page of another site (Sec-Fetch-Site: cross-site) is refused")]
    [InlineData("Sec-Fetch-Site", "same-site", "a change requested by a web page of another site (Sec-Fetch-Site: same-site) is refused")]
    [InlineData("Host", "rebound.example", "this API listens on loopback only, but the request names host rebound.example; use 127.0.0.1 or localhost")]
    public async Task A_change_a_web_page_asks_for_is_403(string header, string value, string message)
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await ApiAccessTests.SubmitFromAsync(server, (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)), await ApiAccessTests.DetailAsync(response));
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-token")]
    [InlineData("Basic czNjcmV0")]
    public async Task A_read_without_the_token_is_401_when_reads_need_it(string? authorization)
    {
        await using var server = await ApiServer.StartAsync(token: "s3cret", settings: new Dictionary<string, string?> { [CoordinatorApiHostingExtensions.RequireTokenForReadsKey] = "true" });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"this server needs its token for reads too: send Authorization: Bearer <Api:Token>, or sign in with POST {SessionApi.Path}", await ApiAccessTests.DetailAsync(response));
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData("run_cap: 10001\n", "test.yaml:1:10: run_cap: expected an integer from 1 to 10000, found 10001")]
    [InlineData("workers_hint: 1025\n", "test.yaml:1:15: workers_hint: expected an integer from 1 to 1024, found 1025")]
    [InlineData("run_cap: 2147483648\n", "test.yaml:1:10: run_cap: expected an integer from 1 to 10000, found 2147483648")]
    public async Task A_run_cap_or_workers_hint_over_its_limit_is_400_at_its_line_and_column(string line, string error)
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await server.SubmitAsync(line + Grid);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var found = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Single()!;
        Assert.Equal(error, $"{found["file"]}:{found["line"]}:{found["column"]}: {found["path"]}: {found["message"]}");
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_one_mebibyte_is_413_whether_its_length_is_announced_or_chunked(bool chunked)
    {
        await using var server = await ApiServer.StartAsync();
        // A valid file padded with a comment to 1 MiB + 1 byte.
        var body = Encoding.UTF8.GetBytes(Grid + "#" + new string('x', (int)SweepsApi.MaxSpecBytes - Grid.Length - 1) + "\n");
        Assert.Equal(SweepsApi.MaxSpecBytes + 1, body.Length);

        using var content = chunked ? new StreamContent(new MemoryStream(body)) : (HttpContent)new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/yaml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the sweep file is over the limit of 1 MiB (1,048,576 bytes)", await ApiAccessTests.DetailAsync(response));
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Fact]
    public async Task A_body_of_exactly_one_mebibyte_is_read()
    {
        await using var server = await ApiServer.StartAsync();
        var body = Grid + "#" + new string('x', (int)SweepsApi.MaxSpecBytes - Grid.Length - 2) + "\n";

        using var response = await server.SubmitAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_yaml_is_415()
    {
        await using var server = await ApiServer.StartAsync();

        using var content = new StringContent(Grid, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync("/api/sweeps", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("send the sweep file as text/yaml", await ApiAccessTests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData("", "Api:TokenFile: {0} is empty; expected the token")]
    [InlineData(" \n", "Api:TokenFile: {0} is empty; expected the token")]
    public async Task An_empty_token_file_is_refused_at_start(string text, string message)
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, text);

            var ex = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiServer.StartAsync(settings: new Dictionary<string, string?> { [CoordinatorApiHostingExtensions.TokenFileKey] = file }));

            Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, file), ex.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(CoordinatorApiHostingExtensions.RequireTokenForReadsKey, "true", "Api:RequireTokenForReads needs a token; set Api:Token or Api:TokenFile (environment Api__Token or Api__TokenFile)")]
    [InlineData(CoordinatorApiHostingExtensions.RequireTokenForReadsKey, "yes", "Api:RequireTokenForReads: yes is not valid; expected true or false")]
    [InlineData(CoordinatorApiHostingExtensions.TokenFileKey, "/nonexistent/token", "Api:TokenFile: cannot read /nonexistent/token: Could not find a part of the path '/nonexistent/token'.")]
    public async Task Api_settings_that_cannot_be_used_are_refused_at_start(string key, string value, string message)
    {
        var ex = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiServer.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task A_token_and_a_token_file_together_are_refused_at_start()
    {
        var ex = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiServer.StartAsync(token: "a", settings: new Dictionary<string, string?> { [CoordinatorApiHostingExtensions.TokenFileKey] = "/etc/hostname" }));

        Assert.Equal("both Api:Token and Api:TokenFile are set; set one", ex.Message);
    }
}

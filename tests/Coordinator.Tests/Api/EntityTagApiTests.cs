using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Leases;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>
/// JSON reads answer with a strong ETag (the body's SHA-256) and 304 to a matching <c>If-None-Match</c>. The tests share
/// a server, so each ends the sweeps it makes: the listing (<c>/api/sweeps</c>) changes with every read while one runs.
/// </summary>
public sealed class EntityTagApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string TwoBetas = "method: grid\nparameters:\n  beta:\n    values: [1, 2]\n";

    [Fact]
    public async Task A_json_read_is_tagged_with_its_bodys_sha256_and_is_304_until_it_changes()
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(TwoBetas);
        string url = $"/api/sweeps/{id}/trials";

        using var first = await server.Client.GetAsync(url);
        byte[] body = await first.Content.ReadAsByteArrayAsync();
        using var unchanged = await GetAsync(server, url, first.Headers.ETag!);
        await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null);
        using var changed = await GetAsync(server, url, first.Headers.ETag!);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"", first.Headers.ETag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, unchanged.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(first.Headers.ETag, changed.Headers.ETag);
        Assert.Contains("cancelled", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/sweeps")]
    [InlineData("/api/sweeps/{0}")]
    [InlineData("/api/sweeps/{0}/points")]
    [InlineData("/api/sweeps/{0}/curves")]
    [InlineData("/api/trials/{1}")]
    [InlineData("/api/trials/{1}/figures")]
    [InlineData("/api/trials/{1}/logs")]
    public async Task Every_json_read_of_sweeps_and_trials_answers_304_to_its_etag(string path)
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(TwoBetas);
        var trial = (await server.Service<TrialLeases>().LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
        // Ended: the listing's duration of a running sweep counts to now, so it changes with every read.
        await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null);
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id, trial.Id);

        using var first = await server.Client.GetAsync(url);
        using var again = await GetAsync(server, url, first.Headers.ETag!);

        Assert.Equal((HttpStatusCode.OK, "application/json"), (first.StatusCode, first.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_checkpoint_keeps_its_sha256_etag_and_an_error_has_none()
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(TwoBetas);
        var trial = (await server.Service<TrialLeases>().LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
        var stored = await server.Service<CheckpointStore>().PutAsync(trial.Id, trial.LeaseId!.Value, 1, RandomNumberGenerator.GetBytes(2000));
        // Ended, as every sweep of this class ends: the listing's duration of a running sweep changes with every read.
        await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null);

        using var checkpoint = await server.Client.GetAsync($"/api/trials/{trial.Id}/checkpoint");
        using var missing = await server.Client.GetAsync($"/api/trials/{Guid.NewGuid()}");

        Assert.Equal($"\"{stored.Sha256}\"", checkpoint.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Null(missing.Headers.ETag);
    }

    private static async Task<HttpResponseMessage> GetAsync(ApiServer server, string url, EntityTagHeaderValue tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(tag);
        return await server.Client.SendAsync(request);
    }
}

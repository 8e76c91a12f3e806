using System.Net;
using System.Text;

namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// Requests the REST API refuses: the status, a problem body that says what is wrong, and the store as it was. Rows of
/// the bad-input catalogue (docs/reliability.md). <c>{sweep}</c> in a path is the fixture's sweep.
/// </summary>
public sealed class ApiRequestBadInputTests(CatalogueCoordinator coordinator) : IClassFixture<CatalogueCoordinator>
{
    private const string Unknown = "00000000-0000-0000-0000-000000000001";

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> Requests => new()
    {
        { "POST", "/api/sweeps", "application/json", "{\"method\": \"grid\"}", HttpStatusCode.UnsupportedMediaType, "send the sweep file as text/yaml" },
        { "POST", "/api/sweeps", null, "name: x", HttpStatusCode.UnsupportedMediaType, "send the sweep file as text/yaml" },
        { "POST", "/api/sweeps?file=m.yaml", "text/yaml", "name: x\nmethod: grid2\nparameters:\n  beta:\n    value: 1\n", HttpStatusCode.BadRequest, "\"file\":\"m.yaml\",\"line\":2,\"column\":9,\"path\":\"method\",\"message\":\"expected grid, random or bayes, found grid2" },
        { "POST", "/api/sweeps?file=../../etc/passwd", "text/yaml", "", HttpStatusCode.BadRequest, "\"file\":\"passwd\",\"line\":1,\"column\":1,\"path\":\"\",\"message\":\"the file is empty" },
        { "GET", "/api/sweeps?limit=0", null, null, HttpStatusCode.BadRequest, "limit: expected 1 to 1000" },
        { "GET", "/api/sweeps?status=bogus", null, null, HttpStatusCode.BadRequest, "status: bogus is not valid; expected pending, running, completed, cancelled, failed" },
        { "GET", $"/api/sweeps/{Unknown}", null, null, HttpStatusCode.NotFound, $"no sweep {Unknown}" },
        { "GET", "/api/sweeps/{sweep}/trials?page=-1", null, null, HttpStatusCode.BadRequest, "page: expected 0 (the first page) or a previous page's next_page" },
        { "GET", "/api/sweeps/{sweep}/trials?status=done", null, null, HttpStatusCode.BadRequest, "status: done is not valid; expected pending, running" },
        { "GET", "/api/sweeps/{sweep}/best?metric=foo", null, null, HttpStatusCode.BadRequest, "metric: unknown metric foo; expected one of test.total" },
        { "GET", "/api/sweeps/{sweep}/best?metric=train.kl", null, null, HttpStatusCode.BadRequest, "metric: train.kl is recorded per epoch only" },
        { "GET", "/api/sweeps/{sweep}/best?goal=sideways", null, null, HttpStatusCode.BadRequest, "goal: sideways is not valid; expected minimize or maximize" },
        { "GET", "/api/sweeps/resolve/zz", null, null, HttpStatusCode.BadRequest, "zz is not an id or its start" },
        { "POST", $"/api/sweeps/{Unknown}/cancel", null, null, HttpStatusCode.NotFound, $"no sweep {Unknown}" },
        { "GET", $"/api/trials/{Unknown}/checkpoint", null, null, HttpStatusCode.NotFound, $"no checkpoint of trial {Unknown}" },
        { "GET", $"/api/trials/{Unknown}/figures/samples.png", null, null, HttpStatusCode.NotFound, $"no figure samples.png of trial {Unknown}" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_bad_request_gets_its_status_and_a_message_and_nothing_is_stored(string method, string path, string? contentType, string? body, HttpStatusCode status, string expected)
    {
        using var client = new HttpClient { BaseAddress = new Uri(coordinator.Url) };
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{sweep}", coordinator.SweepId.ToString(), StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.ContentType = new(contentType);
        }
        var before = await StoreSnapshot.TakeAsync(coordinator.Services);

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(coordinator.Services));
    }
}

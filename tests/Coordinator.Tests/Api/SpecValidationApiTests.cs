using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary><c>POST /api/sweeps/validate</c>: a sweep file checked as submit checks it, with nothing stored.</summary>
public sealed class SpecValidationApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task A_valid_grid_gives_its_name_method_metric_trial_count_and_parameters_and_stores_nothing()
    {
        var server = fixture.Server;
        int stored = await server.StoredSweepCountAsync();

        using var response = await ValidateAsync(server, "method: grid\nparameters:\n  beta:\n    values: [1, 2, 4]\n  latent_dim:\n    values: [2, 16]\n", "betas.yaml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("betas", "grid", "test.total", "minimize", 6), ((string?)plan["name"], (string?)plan["method"], (string?)plan["metric"], (string?)plan["goal"], (int)plan["trials"]!));
        Assert.Equal(["beta", "latent_dim"], plan["parameters"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(stored, await server.StoredSweepCountAsync());
    }

    [Theory]
    [InlineData("run_cap: 7\n", 7)]
    [InlineData("", null)]
    public async Task Random_search_counts_its_run_cap_or_none(string runCap, int? trials)
    {
        var server = fixture.Server;

        using var response = await ValidateAsync(server, $"name: lr\nmethod: random\n{runCap}metric: {{name: test.kl, goal: maximize}}\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.01\n", "x.yaml");

        var plan = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("lr", "random", "test.kl", "maximize"), ((string?)plan["name"], (string?)plan["method"], (string?)plan["metric"], (string?)plan["goal"]));
        Assert.Equal(trials, (int?)plan["trials"]);
    }

    [Fact]
    public async Task An_invalid_file_is_a_400_with_each_error_at_its_line_and_column_as_submit_gives_and_stores_nothing()
    {
        var server = fixture.Server;
        const string yaml = "method: grid\nparameters:\n  beta:\n    values: [1, -4]\n";
        int stored = await server.StoredSweepCountAsync();

        using var response = await ValidateAsync(server, yaml, "bad.yaml");
        using var submitted = await server.SubmitAsync(yaml, "bad.yaml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal("the sweep file is not valid", (string?)JsonNode.Parse(body)!["title"]);
        var error = JsonNode.Parse(body)!["errors"]!.AsArray().Single()!;
        Assert.Equal(("bad.yaml", 4, "parameters.beta.values[1]"), ((string?)error["file"], (int)error["line"]!, (string?)error["path"]));
        Assert.True((int)error["column"]! > 1);
        Assert.Equal(await submitted.Content.ReadAsStringAsync(), body);
        Assert.Equal(stored, await server.StoredSweepCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_yaml_or_text_is_refused_with_415()
    {
        var server = fixture.Server;

        using var response = await server.Client.PostAsJsonAsync("/api/sweeps/validate", new { method = "grid" });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("send the sweep file as text/yaml", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> ValidateAsync(ApiServer server, string yaml, string file)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/validate?file={file}") { Content = new StringContent(yaml, System.Text.Encoding.UTF8, "text/yaml") };
        return await server.Client.SendAsync(request);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary><c>GET /api/sweeps/{id}/trials</c> as the dashboard's trial table pages it: sorted, from an offset, with the total.</summary>
public sealed class TrialTableApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string FiveBetas = "method: grid\nparameters:\n  beta:\n    values: [1, 2, 4, 8, 16]\n";

    [Fact]
    public async Task Trials_sort_by_a_metric_descending_with_nulls_last_and_page_by_offset_with_the_filters_total()
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(FiveBetas);
        // Trials 1-3 complete with test totals 150, 170, 160; trial 4 fails; trial 5 stays pending.
        foreach (double total in new[] { 150.0, 170.0, 160.0 }) await EndNextAsync(server, id, TrialOutcome.Completed(new FinalMetrics(total, total - 5, 5)));
        await EndNextAsync(server, id, TrialOutcome.Failed(FailureClass.Error, "boom"));

        var byLoss = await PageAsync(server, $"/api/sweeps/{id}/trials?sort=test_total&order=desc");
        var second = await PageAsync(server, $"/api/sweeps/{id}/trials?sort=test_total&order=desc&offset=1&limit=2");
        var ended = await PageAsync(server, $"/api/sweeps/{id}/trials?status=completed&status=failed&sort=test_total");

        Assert.Equal([2, 3, 1, 4, 5], Numbers(byLoss));
        Assert.Equal([3, 1], Numbers(second));
        Assert.Equal((5, 1), ((int)second["total"]!, (int)second["offset"]!));
        Assert.Null(second["next_page"]);
        Assert.Equal([1, 3, 2, 4], Numbers(ended));
        Assert.Equal(4, (int)ended["total"]!);
    }

    [Fact]
    public async Task Trials_sort_by_a_config_value_numbers_as_numbers_then_strings_and_missing_last_in_either_order()
    {
        var server = fixture.Server;
        string[] configs = ["""{"beta":10}""", """{"beta":2}""", """{"model":"mlp"}""", """{"beta":1}""", """{"beta":"auto"}"""];
        var sweep = await server.Service<SweepStore>().CreateAsync(
            new NewSweep("configs", FiveBetas, "grid", "test.total", MetricGoal.Minimize, "{}"), configs.Select((config, i) => new NewTrial(config, $"hash{i}")));

        var ascending = await PageAsync(server, $"/api/sweeps/{sweep.Id}/trials?sort=config.beta");
        var descending = await PageAsync(server, $"/api/sweeps/{sweep.Id}/trials?sort=config.beta&order=desc");
        var page = await PageAsync(server, $"/api/sweeps/{sweep.Id}/trials?sort=config.beta&offset=3&limit=1");

        Assert.Equal([4, 2, 1, 5, 3], Numbers(ascending));
        Assert.Equal([5, 1, 2, 4, 3], Numbers(descending));
        Assert.Equal([5], Numbers(page));
        Assert.Equal((5, 3), ((int)page["total"]!, (int)page["offset"]!));
    }

    [Fact]
    public async Task A_sweep_of_ten_thousand_trials_sorts_by_a_config_value_in_well_under_a_second()
    {
        var server = fixture.Server;
        var trials = Enumerable.Range(1, 10_000).Select(i => new NewTrial($$"""{"beta":{{i % 97}},"lr":0.001,"model":"mlp","seed":{{i}}}""", $"hash{i}"));
        var sweep = await server.Service<SweepStore>().CreateAsync(new NewSweep("large", FiveBetas, "grid", "test.total", MetricGoal.Minimize, "{}"), trials);
        string url = $"/api/sweeps/{sweep.Id}/trials?sort=config.beta&order=desc&offset=100&limit=100";
        await server.Client.GetStringAsync(url);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var page = await PageAsync(server, url);
        watch.Stop();

        // β 96 is taken by trials 96, 193, …: 103 of them; the second page holds the last three, then β 95 from trial 95.
        Assert.Equal([9796, 9893, 9990, 95, 192], Numbers(page).Take(5));
        Assert.Equal(10_000, (int)page["total"]!);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Number_order_still_gives_next_page_and_page_still_pages_after_a_trial()
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(FiveBetas);

        var first = await PageAsync(server, $"/api/sweeps/{id}/trials?limit=2");
        var keyset = await PageAsync(server, $"/api/sweeps/{id}/trials?page=2&limit=2");

        Assert.Equal([1, 2], Numbers(first));
        Assert.Equal((2, 5, 0), ((int)first["next_page"]!, (int)first["total"]!, (int)first["offset"]!));
        Assert.Equal([3, 4], Numbers(keyset));
        Assert.Equal((4, 5), ((int)keyset["next_page"]!, (int)keyset["total"]!));
        Assert.Null(keyset["offset"]);
    }

    [Theory]
    [InlineData("sort=loss", "sort: unknown column loss; expected one of number, status, epoch, attempt, worker, test_total, test_recon, test_kl, iwae_nll, active_units, created_at, started_at, finished_at, config.NAME")]
    [InlineData("sort=config.", "sort: unknown column config.; expected one of number")]
    [InlineData("order=up", "order: up is not valid; expected asc or desc")]
    [InlineData("offset=-1", "offset: expected 0 or more")]
    [InlineData("page=2&sort=test_total", "page: pages in number order after a trial; give page, or sort, order and offset, not both")]
    public async Task A_bad_sort_order_or_offset_is_a_400_naming_it(string query, string message)
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(FiveBetas);

        using var response = await server.Client.GetAsync($"/api/sweeps/{id}/trials?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> PageAsync(ApiServer server, string url) => JsonNode.Parse(await server.Client.GetStringAsync(url))!;

    private static List<int> Numbers(JsonNode page) => [.. page["trials"]!.AsArray().Select(t => (int)t!["number"]!)];

    /// <summary>Leases the sweep's next pending trial (the lowest number) and ends it with <paramref name="outcome"/>.</summary>
    private static async Task EndNextAsync(ApiServer server, Guid sweepId, TrialOutcome outcome)
    {
        var leases = server.Service<TrialLeases>();
        var trial = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10), sweepId))!;
        await leases.EndAsync(trial.Id, trial.LeaseId!.Value, outcome);
    }
}

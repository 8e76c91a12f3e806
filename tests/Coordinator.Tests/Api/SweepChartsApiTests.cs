using System.Net;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary><c>/points</c> and <c>/curves</c>: what the dashboard's charts of a sweep draw.</summary>
public sealed class SweepChartsApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string FiveBetas = "method: grid\nparameters:\n  beta:\n    values: [1, 2, 4, 8, 16]\n";

    [Fact]
    public async Task Points_are_the_trials_with_final_metrics_in_number_order_with_the_sweeps_metric()
    {
        var server = fixture.Server;
        var (id, trials) = await SeedAsync(server);

        var points = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}/points"))!;

        Assert.Equal(("test.total", "minimize"), ((string?)points["metric"], (string?)points["goal"]));
        var listed = points["points"]!.AsArray();
        Assert.Equal([(1, 170.0), (2, 150.0), (3, 160.0)], listed.Select(p => ((int)p!["number"]!, (double)p["test_total"]!)));
        var first = listed[0]!;
        Assert.Equal((trials[0].Id.ToString(), "completed", 1.0, 165.0, 5.0, 2), ((string)first["id"]!, (string)first["status"]!, (double)first["config"]!["beta"]!, (double)first["test_recon"]!, (double)first["test_kl"]!, (int)first["active_units"]!));
    }

    [Fact]
    public async Task Curves_are_the_best_trials_then_running_ones_up_to_top_and_every_named_one_best_first()
    {
        var server = fixture.Server;
        var (id, trials) = await SeedAsync(server);

        var top2 = await CurvesAsync(server, $"/api/sweeps/{id}/curves?top=2");
        var top4 = await CurvesAsync(server, $"/api/sweeps/{id}/curves?top=4");
        var named = await CurvesAsync(server, $"/api/sweeps/{id}/curves?top=2&trial={trials[4].Id}&trial={trials[0].Id}");
        var all = await CurvesAsync(server, $"/api/sweeps/{id}/curves");

        Assert.Equal([2, 3], Numbers(top2));
        Assert.Equal([2, 3, 1, 4], Numbers(top4));
        Assert.Equal([2, 3, 1, 5], Numbers(named));
        Assert.Equal([2, 3, 1, 4, 5], Numbers(all));
        var best = top2[0]!;
        Assert.Equal(2.0, (double)best["config"]!["beta"]!);
        Assert.Equal([(1, "test", 151.0), (1, "train", 153.0), (2, "test", 150.0), (2, "train", 152.0)],
            best["epochs"]!.AsArray().Select(e => ((int)e!["epoch"]!, (string)e["split"]!, (double)e["total"]!)));
        Assert.Empty(all[4]!["epochs"]!.AsArray());
    }

    [Theory]
    [InlineData("top=0", "top: expected 1 to 200")]
    [InlineData("top=201", "top: expected 1 to 200")]
    [InlineData("trial=00000000-0000-0000-0000-000000000001", "trial: 00000000-0000-0000-0000-000000000001 is not a trial of sweep")]
    public async Task A_bad_top_or_a_trial_of_no_such_sweep_is_a_400_naming_it(string query, string message)
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(FiveBetas);

        using var response = await server.Client.GetAsync($"/api/sweeps/{id}/curves?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_fifty_named_trials_is_a_400()
    {
        var server = fixture.Server;
        var id = await server.SubmitValidAsync(FiveBetas);

        using var response = await server.Client.GetAsync($"/api/sweeps/{id}/curves?" + string.Join('&', Enumerable.Range(0, 51).Select(_ => $"trial={Guid.NewGuid()}")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("trial: at most 50 trials, not 51", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
    }

    /// <summary>
    /// Five β trials: 1-3 complete with test totals 170, 150, 160 after two epochs (the last epoch's test total is the
    /// final one, train 2 above, the epoch before 1 above that); 4 runs with one epoch; 5 stays pending.
    /// </summary>
    private static async Task<(Guid Id, IReadOnlyList<TrialRecord> Trials)> SeedAsync(ApiServer server)
    {
        var id = await server.SubmitValidAsync(FiveBetas);
        var leases = server.Service<TrialLeases>();
        var epochs = server.Service<EpochMetricStore>();
        foreach (double? total in new double?[] { 170, 150, 160, null })
        {
            var trial = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
            double last = total ?? 200;
            await epochs.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, Splits(last + 1));
            if (total is null) continue;
            await epochs.AppendAsync(trial.Id, trial.LeaseId!.Value, 2, Splits(last));
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(last, last - 5, 5, null, 2)));
        }
        return (id, (await server.Service<TrialStore>().ListAsync(new TrialQuery(id))).Trials);
    }

    private static SplitMetrics[] Splits(double testTotal) =>
        [new SplitMetrics(MetricSplit.Train, testTotal - 3, 5, testTotal + 2, 1, 1), new SplitMetrics(MetricSplit.Test, testTotal - 5, 5, testTotal, 1, 1)];

    private static async Task<JsonArray> CurvesAsync(ApiServer server, string url) =>
        JsonNode.Parse(await server.Client.GetStringAsync(url))!["trials"]!.AsArray();

    private static List<int> Numbers(JsonArray trials) => [.. trials.Select(t => (int)t!["number"]!)];
}

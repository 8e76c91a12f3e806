using System.Text.Json.Nodes;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>The dashboard's reads on a coordinator whose store is PostgreSQL: sorting, points, curves and the listing.</summary>
public sealed class PostgresDashboardApiTests
{
    [Fact]
    public async Task Trials_sort_and_the_charts_and_listing_read_the_same_on_postgresql()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var server = await ApiServer.StartAsync(connectionString: await postgres.CreateDatabaseAsync());
        var id = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [8, 0.5, 16, 2]\n");
        var leases = server.Service<TrialLeases>();
        // Trials 1-3 (β 8, 0.5, 16) complete with test totals 150, 170, 160; trial 4 (β 2) stays pending.
        foreach (double total in new[] { 150.0, 170.0, 160.0 })
        {
            var trial = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(total, total - 5, 5)));
        }

        var byLoss = await GetAsync(server, $"/api/sweeps/{id}/trials?sort=test_total&order=desc&limit=3");
        var byBeta = await GetAsync(server, $"/api/sweeps/{id}/trials?sort=config.beta");
        var points = await GetAsync(server, $"/api/sweeps/{id}/points");
        var curves = await GetAsync(server, $"/api/sweeps/{id}/curves?top=2");
        var listed = (await GetAsync(server, "/api/sweeps")).AsArray().Single()!;

        Assert.Equal([2, 3, 1], Numbers(byLoss["trials"]!));
        Assert.Equal(4, (int)byLoss["total"]!);
        Assert.Equal([2, 4, 1, 3], Numbers(byBeta["trials"]!));
        Assert.Equal([1, 2, 3], Numbers(points["points"]!));
        Assert.Equal([1, 3], Numbers(curves["trials"]!));
        Assert.Equal((150.0, 3, 1), ((double)listed["best_value"]!, (int)listed["trials_by_status"]!["completed"]!, (int)listed["trials_by_status"]!["pending"]!));
    }

    private static async Task<JsonNode> GetAsync(ApiServer server, string url) => JsonNode.Parse(await server.Client.GetStringAsync(url))!;

    private static List<int> Numbers(JsonNode trials) => [.. trials.AsArray().Select(t => (int)t!["number"]!)];
}

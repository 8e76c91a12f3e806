using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary><c>GET /api/sweeps/resolve/{prefix}</c> and <c>/api/trials/resolve/{prefix}</c>: short ids, as git and docker take them.</summary>
public sealed class ShortIdsApiTests
{
    [Fact]
    public async Task A_unique_prefix_resolves_to_its_sweep_or_trial()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var trial = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials[1];

        var sweep = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/resolve/{IdPrefix.ShortId(sweepId).ToUpperInvariant()}"))!;
        var resolvedTrial = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/resolve/{trial.Id.ToString()[..13]}"))!;

        Assert.Equal(sweepId.ToString(), (string?)sweep["id"]);
        Assert.Equal(trial.Id.ToString(), (string?)resolvedTrial["id"]);
    }

    [Fact]
    public async Task An_ambiguous_prefix_is_a_409_naming_the_candidates_and_none_found_a_404_and_no_prefix_a_400()
    {
        await using var server = await ApiServer.StartAsync();
        var sweeps = server.Service<SweepStore>();
        // 17 random ids: at least two share their first hex digit.
        var ids = new List<Guid>();
        for (int i = 0; i < 17; i++)
        {
            var trial = new NewTrial(string.Create(CultureInfo.InvariantCulture, $$"""{"beta":{{i + 1}}}"""), $"hash{i}");
            ids.Add((await sweeps.CreateAsync(new NewSweep($"sweep {i}", "method: grid", "grid", "test.total", MetricGoal.Minimize, "{}"), [trial])).Id);
        }
        var shared = ids.GroupBy(id => id.ToString()[..1]).First(group => group.Count() > 1);
        var absent = Enumerable.Range(0, 16).Select(digit => digit.ToString("x", CultureInfo.InvariantCulture) + "0000000")
            .First(prefix => !ids.Any(id => id.ToString().StartsWith(prefix, StringComparison.Ordinal)));

        using var ambiguous = await server.Client.GetAsync($"/api/sweeps/resolve/{shared.Key}");
        using var none = await server.Client.GetAsync($"/api/sweeps/resolve/{absent}");
        using var bad = await server.Client.GetAsync("/api/sweeps/resolve/not-an-id");

        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        var problem = JsonNode.Parse(await ambiguous.Content.ReadAsStringAsync())!;
        Assert.Equal(shared.Select(id => id.ToString()).Order(StringComparer.Ordinal), problem["candidates"]!.AsArray().Select(id => (string)id!));
        Assert.Contains($"sweep id {shared.Key} is ambiguous", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

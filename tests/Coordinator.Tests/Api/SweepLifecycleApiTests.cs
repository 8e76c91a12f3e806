using System.Net;
using System.Text.Json.Nodes;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary><c>POST /api/sweeps/{id}/resume</c> and <c>DELETE /api/sweeps/{id}</c> on a real coordinator.</summary>
public sealed class SweepLifecycleApiTests
{
    private const string BetaGrid = "method: grid\nmetric: {name: test.total, goal: minimize}\nparameters:\n  beta:\n    values: [1, 2, 4]\n";

    [Fact]
    public async Task A_cancelled_sweep_resumes_its_cancelled_trials_from_their_checkpoints_and_completes()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);
        var grains = server.Service<IGrainFactory>();
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        var first = (await scheduler.LeaseAsync("worker"))!;
        await server.Service<CheckpointStore>().PutAsync(first.TrialId, first.LeaseId, 1, new byte[100]);
        await grains.GetGrain<ISweepGrain>(id).ReportEpochAsync(new EpochResult(first.TrialId, first.LeaseId, 1, new(150, 145, 5), new(150, 145, 5)));
        using (var cancel = await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        using var resume = await server.Client.PostAsync($"/api/sweeps/{id}/resume", null);

        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var resumed = JsonNode.Parse(await resume.Content.ReadAsStringAsync())!;
        Assert.Equal(("running", 3, 3), ((string?)resumed["status"], (int)resumed["trials"]!, (int)resumed["open_trials"]!));
        // The trial that was running resumes first, on its next attempt, from the checkpoint it had.
        var again = (await scheduler.LeaseAsync("worker"))!;
        Assert.Equal((first.TrialId, 2), (again.TrialId, again.Attempt));
        Assert.Equal(1, (await server.Service<CheckpointStore>().GetAsync(again.TrialId))?.Epoch);
        await EndAsync(grains, id, again);
        for (int i = 0; i < 2; i++) await EndAsync(grains, id, (await scheduler.LeaseAsync("worker"))!);
        Assert.Equal(SweepStatus.Completed, (await server.Service<SweepStore>().GetAsync(id))?.Status);
    }

    [Fact]
    public async Task Resuming_a_sweep_that_is_not_cancelled_is_a_409_saying_why_and_changes_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        // Completed first: the scheduler leases the oldest pending trial of any sweep.
        var completed = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var grains = server.Service<IGrainFactory>();
        await EndAsync(grains, completed, (await grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key).LeaseAsync("worker"))!);
        var running = await server.SubmitValidAsync(BetaGrid);
        var failed = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 2\n");
        await server.Service<SweepStore>().TransitionAsync(failed, (await server.Service<SweepStore>().GetAsync(failed))!.Version, SweepStatus.Failed);
        var unknown = Guid.NewGuid();

        var answers = new Dictionary<Guid, (HttpStatusCode, string?)>();
        foreach (var id in new[] { running, completed, failed, unknown })
        {
            using var response = await server.Client.PostAsync($"/api/sweeps/{id}/resume", null);
            answers[id] = (response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        }

        Assert.Equal((HttpStatusCode.Conflict, $"sweep {running} is running: nothing to resume"), answers[running]);
        Assert.Equal((HttpStatusCode.Conflict, $"sweep {completed} is completed: every trial has ended, there is nothing to resume"), answers[completed]);
        Assert.Equal((HttpStatusCode.Conflict, $"sweep {failed} failed: only a cancelled sweep resumes; to run its failed trials again, use sweep retry {failed} --failed"), answers[failed]);
        Assert.Equal((HttpStatusCode.NotFound, $"no sweep {unknown}"), answers[unknown]);
        var sweeps = server.Service<SweepStore>();
        Assert.Equal((SweepStatus.Running, SweepStatus.Completed, SweepStatus.Failed), ((await sweeps.GetAsync(running))?.Status, (await sweeps.GetAsync(completed))?.Status, (await sweeps.GetAsync(failed))?.Status));
        Assert.Equal(3, (await sweeps.GetStatusAsync(running))![TrialStatus.Pending]);
    }

    [Fact]
    public async Task A_running_sweep_is_deleted_only_once_cancelled_and_then_is_gone()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);
        var kept = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");

        using var refused = await server.Client.DeleteAsync($"/api/sweeps/{id}");
        var stillThere = (await server.Service<SweepStore>().GetStatusAsync(id))![TrialStatus.Pending];
        using (var cancel = await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        using var deleted = await server.Client.DeleteAsync($"/api/sweeps/{id}");
        using var again = await server.Client.DeleteAsync($"/api/sweeps/{id}");
        using var read = await server.Client.GetAsync($"/api/sweeps/{id}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal($"sweep {id} is running; cancel it first", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(3, stillThere);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (deleted.StatusCode, again.StatusCode, read.StatusCode));
        Assert.Empty(await server.Service<TrialStore>().ListAllAsync(id));
        Assert.Equal([kept], JsonNode.Parse(await server.Client.GetStringAsync("/api/sweeps"))!.AsArray().Select(s => Guid.Parse((string)s!["id"]!)));
    }

    [Fact]
    public async Task On_an_address_other_hosts_reach_resume_and_delete_need_the_bearer_token()
    {
        await using var server = await ApiServer.StartAsync("http://0.0.0.0:0", token: "s3cret-token");
        using var created = await server.SubmitAsync(BetaGrid, token: "s3cret-token");
        var id = Guid.Parse((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["sweep_id"]!);

        using var resume = await server.Client.PostAsync($"/api/sweeps/{id}/resume", null);
        using var delete = await server.Client.DeleteAsync($"/api/sweeps/{id}");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (resume.StatusCode, delete.StatusCode));
        Assert.Equal(SweepStatus.Running, (await server.Service<SweepStore>().GetAsync(id))?.Status);
    }

    private static Task EndAsync(IGrainFactory grains, Guid sweepId, TrialLease lease) =>
        grains.GetGrain<ISweepGrain>(sweepId).EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(150, 145, 5, null, 2)));
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class TrialLogsAndRetryApiTests
{
    private const string TwoTrials = "method: grid\nparameters:\n  beta:\n    values: [1, 2]\n";

    [Fact]
    public async Task A_trials_log_is_served_in_order_by_attempt_and_after_a_line_and_an_unknown_trial_is_404()
    {
        await using var server = await ApiServer.StartAsync();
        await server.SubmitValidAsync(TwoTrials);
        var leases = server.Service<TrialLeases>();
        var logs = server.Service<TrialLogStore>();
        var trial = (await leases.LeaseNextAsync("host/slot-0", TimeSpan.FromMinutes(10)))!;
        await logs.AppendAsync(trial.Id, trial.LeaseId!.Value, TrialLogLevel.Info, "host/slot-0", "attempt 1 started on host/slot-0 (from scratch)");
        await logs.AppendAsync(trial.Id, trial.LeaseId!.Value, TrialLogLevel.Error, "host/slot-0", "System.Exception: boom\n   at Train()");
        await leases.FailAttemptAsync(trial.Id, trial.LeaseId!.Value, FailureClass.Error, "Exception: boom", maxAttempts: 3);

        var all = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trial.Id}/logs"))!.AsArray();
        long second = (long)all[1]!["sequence"]!;
        var after = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trial.Id}/logs?after={second}"))!.AsArray();
        var ofAttempt2 = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trial.Id}/logs?attempt=2"))!.AsArray();
        using var unknown = await server.Client.GetAsync($"/api/trials/{Guid.NewGuid()}/logs");
        using var badAttempt = await server.Client.GetAsync($"/api/trials/{trial.Id}/logs?attempt=0");

        Assert.Equal(
            [(1, "info", "host/slot-0", "attempt 1 started on host/slot-0 (from scratch)"), (1, "error", "host/slot-0", "System.Exception: boom\n   at Train()"),
             (1, "warning", "coordinator", "attempt 1 failed (error, 1 of 3 failures in training): back in the queue as attempt 2, which resumes from the last checkpoint")],
            all.Select(l => ((int)l!["attempt"]!, (string)l["level"]!, (string)l["source"]!, (string)l["message"]!)));
        Assert.NotNull((DateTime?)all[0]!["time"]);
        Assert.Equal([all[2]!["sequence"]!.ToJsonString()], after.Select(l => l!["sequence"]!.ToJsonString()));
        Assert.Empty(ofAttempt2);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no trial", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badAttempt.StatusCode);
    }

    [Fact]
    public async Task Retry_queues_a_cancelled_sweeps_failed_trial_again_and_the_sweep_runs_again()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync(TwoTrials);
        var leases = server.Service<TrialLeases>();
        var failed = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10)))!;
        await leases.FailAttemptAsync(failed.Id, failed.LeaseId!.Value, FailureClass.Diverged, "diverged: loss is NaN", maxAttempts: 3);
        using (var cancelled = await server.Client.PostAsync($"/api/sweeps/{sweepId}/cancel", null)) Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        using var response = await server.Client.PostAsync($"/api/sweeps/{sweepId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("running", (string?)body["sweep"]!["status"]);
        var trial = Assert.Single(body["trials"]!.AsArray())!;
        Assert.Equal((failed.Number, "pending", 2, (string?)null), ((int)trial["number"]!, (string)trial["status"]!, (int)trial["attempt"]!, (string?)trial["failure_class"]));
        var detail = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{sweepId}"))!;
        Assert.Equal("running", (string?)detail["sweep"]!["status"]);
        // A worker leases it on its new attempt; the log tells of the retry.
        var again = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10)))!;
        Assert.Equal((failed.Id, 2), (again.Id, again.Attempt));
        var log = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{failed.Id}/logs"))!.AsArray();
        Assert.Equal("retried by the user (the trial was failed): attempt 2, which resumes from the last checkpoint", (string?)log[^1]!["message"]);
    }

    [Theory]
    [InlineData("{\"trials\": [9]}", HttpStatusCode.NotFound, "has no trial 9")]
    [InlineData("{\"trials\": [2]}", HttpStatusCode.Conflict, "trial 2 of sweep")]
    [InlineData("{\"failed\": true}", HttpStatusCode.Conflict, "has no failed trial to retry")]
    [InlineData("", HttpStatusCode.Conflict, "has no failed trial to retry")]
    [InlineData("{\"trials\": [0]}", HttpStatusCode.BadRequest, "trials: 0 is not a trial number; trials are numbered from 1")]
    [InlineData("{\"trials\": []}", HttpStatusCode.BadRequest, "trials: name at least one trial number")]
    [InlineData("{\"trials\": [1], \"failed\": true}", HttpStatusCode.BadRequest, "give trials or failed: true, not both")]
    [InlineData("{\"trials\": \"all\"}", HttpStatusCode.BadRequest, "the retry request is not valid JSON")]
    [InlineData("unknown sweep", HttpStatusCode.NotFound, "no sweep")]
    public async Task A_bad_retry_is_refused_with_its_reason_and_changes_nothing(string body, HttpStatusCode status, string message)
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync(TwoTrials);
        // Trial 1 completed, trial 2 running: nothing failed.
        var leases = server.Service<TrialLeases>();
        var first = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10)))!;
        await leases.EndAsync(first.Id, first.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(100, 90, 10, 102, 2)));
        await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10));
        string before = await StoredStateAsync(server, sweepId);

        var target = body == "unknown sweep" ? Guid.NewGuid() : sweepId;
        using var content = body is "" or "unknown sweep" ? null : new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync($"/api/sweeps/{target}/retry", content);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);
        Assert.Equal(before, await StoredStateAsync(server, sweepId));
    }

    /// <summary>The sweep's status and version, each trial's status, attempt and version, and each one's log: what a refused retry leaves as it was.</summary>
    private static async Task<string> StoredStateAsync(ApiServer server, Guid sweepId)
    {
        var sweep = (await server.Service<SweepStore>().GetAsync(sweepId))!;
        var trials = await server.Service<TrialStore>().ListAllAsync(sweepId);
        var logs = server.Service<TrialLogStore>();
        var lines = new List<int>();
        foreach (var trial in trials) lines.Add((await logs.ListAsync(trial.Id)).Count);
        return $"{sweep.Status}:{sweep.Version} " + string.Join(',', trials.Select(t => $"{t.Number}:{t.Status}:{t.Attempt}:{t.Version}")) + " " + string.Join(',', lines);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class SweepsApiTests
{
    private const string BetaGrid = "method: grid\nmetric: {name: test.total, goal: minimize}\nparameters:\n  beta:\n    values: [1, 2, 4]\n";

    [Fact]
    public async Task A_good_sweep_file_is_created_with_its_location_and_its_trials_are_listed()
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await server.SubmitAsync(BetaGrid);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        string id = (string)created["sweep_id"]!;
        Assert.Equal(("running", 3), ((string?)created["status"], (int)created["trials"]!));
        Assert.Equal($"/api/sweeps/{id}", response.Headers.Location!.OriginalString);

        var page = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}/trials"))!;
        Assert.Equal([1.0, 2.0, 4.0], page["trials"]!.AsArray().Select(t => (double)t!["config"]!["beta"]!));
        Assert.Null(page["next_page"]);
        var detail = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!;
        Assert.Equal((3, 0, 0, 3), ((int)detail["trials_by_status"]!["pending"]!, (int)detail["trials_by_status"]!["completed"]!, (int)detail["progress"]!["ended"]!, (int)detail["progress"]!["total"]!));
        Assert.Null(detail["best"]);
        var list = JsonNode.Parse(await server.Client.GetStringAsync("/api/sweeps?status=running"))!.AsArray();
        Assert.Equal([id], list.Select(s => (string)s!["id"]!));
    }

    [Fact]
    public async Task Listed_sweeps_have_their_trial_counts_best_value_start_and_duration_and_read_as_summaries()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);
        var pending = await server.SubmitValidAsync("method: grid\nmetric: {name: test.total, goal: maximize}\nparameters:\n  beta:\n    value: 1\n");
        await server.Client.PostAsync($"/api/sweeps/{pending}/cancel", null);
        var leases = server.Service<TrialLeases>();
        foreach (double loss in new[] { 160.0, 150.0 })
        {
            var trial = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(10), id))!;
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(loss, loss - 5, 5)));
        }

        string body = await server.Client.GetStringAsync("/api/sweeps");

        var listed = JsonNode.Parse(body)!.AsArray().ToDictionary(s => (string)s!["id"]!);
        var running = listed[id.ToString()]!;
        Assert.Equal((2, 1, 0), ((int)running["trials_by_status"]!["completed"]!, (int)running["trials_by_status"]!["pending"]!, (int)running["trials_by_status"]!["failed"]!));
        Assert.Equal(150.0, (double)running["best_value"]!);
        Assert.True((DateTime)running["started_at"]! <= DateTime.UtcNow);
        Assert.True((double)running["duration_seconds"]! >= 0);
        var cancelled = listed[pending.ToString()]!;
        Assert.Equal(1, (int)cancelled["trials_by_status"]!["cancelled"]!);
        Assert.Null(cancelled["best_value"]);
        Assert.Null(cancelled["started_at"]);
        Assert.Null(cancelled["duration_seconds"]);
        // The fields of SweepSummary come first and unchanged: the CLI reads the list as summaries.
        var keys = running.AsObject().Select(pair => pair.Key).ToList();
        Assert.Equal(["id", "name", "status", "method", "metric", "goal", "trials", "created_at", "finished_at", "trials_by_status", "best_value", "started_at", "duration_seconds"], keys);
        var summaries = System.Text.Json.JsonSerializer.Deserialize<IReadOnlyList<SweepSummary>>(body, ApiJson.Options)!;
        Assert.Equal(("running", 3), (summaries.Single(s => s.Id == id).Status, summaries.Single(s => s.Id == id).Trials));
    }

    [Fact]
    public async Task After_pruning_the_detail_gives_the_kept_checkpoint_bytes_and_the_latest_checkpoint_still_downloads()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 1\ncheckpoints: {keep: best}\n");
        var grains = server.Service<IGrainFactory>();
        var lease = (await grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key).LeaseAsync("worker"))!;
        Assert.Equal(0, (long)JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!["checkpoint_bytes"]!);

        // Epoch 2 is the best, epoch 3 the latest: epoch 1's 1,000 bytes go.
        (int Bytes, double Loss)[] epochs = [(1000, 150), (200, 120), (30, 130)];
        for (int epoch = 1; epoch <= epochs.Length; epoch++)
        {
            var (bytes, loss) = epochs[epoch - 1];
            await server.Service<CheckpointStore>().PutAsync(lease.TrialId, lease.LeaseId, epoch, RandomNumberGenerator.GetBytes(bytes));
            await grains.GetGrain<ISweepGrain>(id).ReportEpochAsync(new EpochResult(lease.TrialId, lease.LeaseId, epoch, new(loss, loss - 5, 5), new(loss, loss - 5, 5)));
        }

        Assert.Equal(230, (long)JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!["checkpoint_bytes"]!);
        using var download = await server.Client.GetAsync($"/api/trials/{lease.TrialId}/checkpoint");
        Assert.Equal((HttpStatusCode.OK, "3", 30), (download.StatusCode, download.Headers.GetValues("X-Checkpoint-Epoch").Single(), (await download.Content.ReadAsByteArrayAsync()).Length));
    }

    [Fact]
    public async Task A_bad_sweep_file_is_a_400_listing_each_error_with_its_line_and_column()
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await server.SubmitAsync("method: grid\nparameters:\n  beta:\n    values: [1, -4]\n", "bad.yaml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Single()!;
        Assert.Equal(("bad.yaml", 4, "parameters.beta.values[1]"), ((string?)error["file"], (int)error["line"]!, (string?)error["path"]));
        Assert.True((int)error["column"]! > 1);
        Assert.Contains("-4", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(await server.Client.GetStringAsync("/api/sweeps"))!.AsArray());
    }

    [Fact]
    public async Task A_body_that_is_not_yaml_or_text_is_refused_with_415()
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/sweeps", new { method = "grid" });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("send the sweep file as text/yaml", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_says_the_submission_body_is_a_yaml_file()
    {
        await using var server = await ApiServer.StartAsync();

        var body = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!["paths"]!["/api/sweeps"]!["post"]!["requestBody"]!;

        Assert.True((bool)body["required"]!);
        Assert.Equal("string", (string)body["content"]!["text/yaml"]!["schema"]!["type"]!);
    }

    [Theory]
    [InlineData("GET", "/api/sweeps/{0}")]
    [InlineData("GET", "/api/sweeps/{0}/trials")]
    [InlineData("GET", "/api/sweeps/{0}/best")]
    [InlineData("GET", "/api/sweeps/{0}/points")]
    [InlineData("GET", "/api/sweeps/{0}/curves")]
    [InlineData("POST", "/api/sweeps/{0}/cancel")]
    [InlineData("GET", "/api/trials/{0}")]
    [InlineData("GET", "/api/trials/{0}/checkpoint")]
    [InlineData("GET", "/api/trials/{0}/figures")]
    [InlineData("GET", "/api/trials/{0}/figures/samples.png")]
    public async Task An_unknown_id_is_a_404_naming_it(string method, string path)
    {
        await using var server = await ApiServer.StartAsync();
        var id = Guid.NewGuid();

        using var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(id.ToString(), (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_trials()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);

        using var response = await server.Client.PostAsync($"/api/sweeps/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
        var cancelled = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}/trials?status=cancelled"))!;
        Assert.Equal(3, cancelled["trials"]!.AsArray().Count);
        var detail = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!;
        Assert.True((bool)detail["progress"]!["finished"]!);
    }

    [Fact]
    public async Task Best_is_the_ended_trial_with_the_lowest_loss_and_a_per_epoch_metric_is_refused()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);
        var grains = server.Service<IGrainFactory>();
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        foreach (double loss in new[] { 160.0, 150.0 })
        {
            var lease = (await scheduler.LeaseAsync("worker"))!;
            await grains.GetGrain<ISweepGrain>(id).EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(loss, loss - 5, 5, null, 2)));
        }

        var best = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}/best"))!;
        var worst = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}/best?metric=test.total&goal=maximize"))!;
        using var perEpoch = await server.Client.GetAsync($"/api/sweeps/{id}/best?metric=train.total");

        Assert.Equal((2, 150.0), ((int)best["number"]!, (double)best["test_total"]!));
        Assert.Equal(1, (int)worst["number"]!);
        Assert.Equal(HttpStatusCode.BadRequest, perEpoch.StatusCode);
        var detail = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{id}"))!;
        Assert.Equal((2, 2), ((int)detail["best"]!["number"]!, (int)detail["progress"]!["ended"]!));
    }

    [Fact]
    public async Task A_bad_status_filter_is_a_400_naming_the_valid_ones()
    {
        await using var server = await ApiServer.StartAsync();
        var id = await server.SubmitValidAsync(BetaGrid);

        using var response = await server.Client.GetAsync($"/api/sweeps/{id}/trials?status=done");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pending, running", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        await using var server = await ApiServer.StartAsync();

        var paths = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        Assert.Superset(
            new HashSet<string> { "/api/sweeps", "/api/sweeps/{id}", "/api/sweeps/{id}/trials", "/api/sweeps/{id}/cancel", "/api/sweeps/{id}/best", "/api/sweeps/validate", "/api/sweeps/{id}/points", "/api/sweeps/{id}/curves", "/api/trials/{id}", "/api/trials/{id}/checkpoint", "/api/trials/{id}/figures", "/api/trials/{id}/figures/{name}" },
            paths.Select(p => p.Key).ToHashSet());
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class TrialsApiTests
{
    [Fact]
    public async Task The_latest_checkpoint_is_served_with_its_sha256_as_etag_and_header()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var trials = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials;
        var lease = await LeaseFirstAsync(server, sweepId);
        var store = server.Service<CheckpointStore>();
        await store.PutAsync(trials[0].Id, lease, 1, RandomNumberGenerator.GetBytes(1000));
        byte[] latest = RandomNumberGenerator.GetBytes(5000);
        var stored = await store.PutAsync(trials[0].Id, lease, 2, latest);

        using var response = await server.Client.GetAsync($"/api/trials/{trials[0].Id}/checkpoint");
        using var none = await server.Client.GetAsync($"/api/trials/{trials[1].Id}/checkpoint");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(latest, body);
        string sha = Convert.ToHexStringLower(SHA256.HashData(body));
        Assert.Equal(stored.Sha256, sha);
        Assert.Equal(sha, response.Headers.GetValues("X-Checkpoint-Sha256").Single());
        Assert.Equal("2", response.Headers.GetValues("X-Checkpoint-Epoch").Single());
        Assert.Equal($"\"{sha}\"", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_trial_names_its_latest_checkpoint_with_the_sha256_its_download_sends_and_none_before_one_is_stored()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var trials = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials;
        var lease = await LeaseFirstAsync(server, sweepId);
        await server.Service<CheckpointStore>().PutAsync(trials[0].Id, lease, 1, RandomNumberGenerator.GetBytes(1000));
        await server.Service<CheckpointStore>().PutAsync(trials[0].Id, lease, 2, RandomNumberGenerator.GetBytes(3000));

        var checkpoint = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trials[0].Id}"))!["checkpoint"]!;
        using var download = await server.Client.GetAsync((string)checkpoint["url"]!);
        var none = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trials[1].Id}"))!.AsObject();

        Assert.Equal((2, 3000L, $"/api/trials/{trials[0].Id}/checkpoint"), ((int)checkpoint["epoch"]!, (long)checkpoint["size_bytes"]!, (string)checkpoint["url"]!));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(download.Headers.GetValues("X-Checkpoint-Sha256").Single(), (string)checkpoint["sha256"]!);
        Assert.True(none.ContainsKey("checkpoint"));
        Assert.Null(none["checkpoint"]);
    }

    [Fact]
    public async Task A_failed_trial_has_its_failure_class_beside_its_reason_and_an_open_one_none()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var leases = server.Service<TrialLeases>();
        var failed = (await leases.LeaseNextAsync("worker", TimeSpan.FromMinutes(1)))!;
        await leases.FailAttemptAsync(failed.Id, failed.LeaseId!.Value, FailureClass.Diverged, "diverged: loss is NaN at epoch 1, batch 3", maxAttempts: 3);

        var trial = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{failed.Id}"))!["trial"]!;
        var listed = JsonNode.Parse(await server.Client.GetStringAsync($"/api/sweeps/{sweepId}/trials"))!["trials"]!.AsArray();

        Assert.Equal(("failed", "diverged", "diverged: loss is NaN at epoch 1, batch 3"), ((string?)trial["status"], (string?)trial["failure_class"], (string?)trial["failure_reason"]));
        var keys = trial.AsObject().Select(pair => pair.Key).ToList();
        Assert.Equal(keys.IndexOf("failure_class") + 1, keys.IndexOf("failure_reason"));
        var open = listed.Single(t => (string)t!["id"]! != failed.Id.ToString())!.AsObject();
        Assert.True(open.ContainsKey("failure_class"));
        Assert.Null(open["failure_class"]);
    }

    [Fact]
    public async Task A_trials_figures_are_listed_by_name_with_their_urls_and_none_before_any_are_stored()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var trials = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials;
        await server.Service<TrialFigureStore>().PutAsync(trials[0].Id, await LeaseFirstAsync(server, sweepId), [new("samples.png", new byte[300]), new("manifold.png", new byte[5000])]);

        var listed = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trials[0].Id}/figures"))!.AsArray();
        var none = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trials[1].Id}/figures"))!.AsArray();

        Assert.Equal(
            [("manifold.png", 5000L, $"/api/trials/{trials[0].Id}/figures/manifold.png"), ("samples.png", 300L, $"/api/trials/{trials[0].Id}/figures/samples.png")],
            listed.Select(f => ((string)f!["name"]!, (long)f["size_bytes"]!, (string)f["url"]!)));
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_figure_is_served_as_png_with_its_sha256_as_etag_and_a_missing_one_is_404()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var trial = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials.Single();
        byte[] png = RandomNumberGenerator.GetBytes(2000);
        await server.Service<TrialFigureStore>().PutAsync(trial.Id, await LeaseFirstAsync(server, sweepId), [new("loss-curves.png", png)]);
        string url = (string)JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trial.Id}/figures"))![0]!["url"]!;

        using var response = await server.Client.GetAsync(url);
        using var missing = await server.Client.GetAsync($"/api/trials/{trial.Id}/figures/samples.png");
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var unchanged = await server.Client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(png))}\"", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal($"no figure samples.png of trial {trial.Id}", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
    }

    [Fact]
    public async Task A_trial_comes_with_its_config_and_epoch_metrics()
    {
        await using var server = await ApiServer.StartAsync();
        var sweepId = await server.SubmitValidAsync("method: grid\nparameters:\n  beta:\n    value: 4\n");
        var trial = (await server.Service<TrialStore>().ListAsync(new TrialQuery(sweepId))).Trials.Single();
        await server.Service<EpochMetricStore>().AppendAsync(trial.Id, await LeaseFirstAsync(server, sweepId), 1,
            [new SplitMetrics(MetricSplit.Train, 160, 5, 180, 2, 500), new SplitMetrics(MetricSplit.Test, 158, 5, 178, 0, 0, [4.5, 0.5], 1)]);

        var detail = JsonNode.Parse(await server.Client.GetStringAsync($"/api/trials/{trial.Id}"))!;

        Assert.Equal((4.0, 1, "running"), ((double)detail["trial"]!["config"]!["beta"]!, (int)detail["trial"]!["epoch"]!, (string?)detail["trial"]!["status"]));
        var epochs = detail["epochs"]!.AsArray();
        Assert.Equal([("test", 178.0), ("train", 180.0)], epochs.Select(e => ((string)e!["split"]!, (double)e["total"]!)));
        Assert.Equal([4.5, 0.5], epochs[0]!["kl_per_dimension"]!.AsArray().Select(kl => (double)kl!));
        Assert.Equal(1, (int)epochs[0]!["active_units"]!);
        Assert.Null(epochs[1]!["kl_per_dimension"]);
        Assert.Null(epochs[1]!["active_units"]);
    }

    /// <summary>Leases the sweep's first trial, as a worker does before it stores anything for it; returns the lease id.</summary>
    private static async Task<Guid> LeaseFirstAsync(ApiServer server, Guid sweepId) =>
        (await server.Service<TrialLeases>().LeaseNextAsync("worker", TimeSpan.FromMinutes(10), sweepId))!.LeaseId!.Value;
}

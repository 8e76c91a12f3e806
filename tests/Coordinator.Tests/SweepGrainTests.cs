using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Tests;

public sealed class SweepGrainTests
{
    private const string BetaGrid = "method: grid\nmetric: {name: test.total, goal: minimize}\nparameters:\n  beta:\n    values: [1, 2, 4]\n";

    private static readonly EpochLosses AnyTrain = new(150, 140, 10);

    [Fact]
    public async Task A_grid_sweep_is_expanded_into_its_trials_and_started()
    {
        await using var sweeps = await SweepCluster.StartAsync();

        var snapshot = await sweeps.SubmitAsync(BetaGrid);

        Assert.Equal(("running", 3, 3), (snapshot.Status, snapshot.Trials, snapshot.OpenTrials));
        var trials = (await sweeps.Trials.ListAsync(new TrialQuery(snapshot.SweepId))).Trials;
        Assert.Equal(["""{"beta":1.0}""", """{"beta":2.0}""", """{"beta":4.0}"""], trials.Select(t => t.ConfigJson));
    }

    [Fact]
    public async Task The_grain_reads_the_stored_canonical_spec_not_the_file()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var canonical = SweepSpecJson.Write(SweepSpecParser.Parse(BetaGrid, "beta.yaml").Spec);
        var record = await sweeps.Sweeps.CreateAsync(new NewSweep("canonical", "not: [a sweep file", "grid", "test.total", MetricGoal.Minimize, canonical), []);

        var snapshot = await sweeps.Sweep(record.Id).StartAsync();

        Assert.Equal(("running", 3), (snapshot.Status, snapshot.Trials));
    }

    [Fact]
    public async Task A_sweep_stored_without_a_canonical_spec_is_parsed_from_its_file_once_and_gets_one()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var record = await sweeps.Sweeps.CreateAsync(new NewSweep("older", BetaGrid, "grid", "test.total", MetricGoal.Minimize, "{}"), []);
        await using (var db = sweeps.DbContext())
        {
            // As a row written before the column existed.
            await db.Sweeps.Where(s => s.Id == record.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SpecCanonical, (string?)null));
        }

        var snapshot = await sweeps.Sweep(record.Id).StartAsync();

        Assert.Equal(("running", 3), (snapshot.Status, snapshot.Trials));
        var stored = await sweeps.Sweeps.GetAsync(record.Id);
        Assert.Equal(SweepSpecJson.Write(SweepSpecParser.Parse(BetaGrid, "beta.yaml").Spec), stored!.SpecCanonical);
    }

    [Fact]
    public async Task Each_trial_is_leased_once_and_none_when_the_queue_is_empty()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        await sweeps.SubmitAsync(BetaGrid);

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => sweeps.Scheduler.LeaseAsync($"worker-{i}")));

        Assert.Equal(3, leases.Count(lease => lease is not null));
        Assert.Equal(3, leases.Where(lease => lease is not null).Select(lease => lease!.TrialId).Distinct().Count());
        Assert.True((await sweeps.Scheduler.HeartbeatAsync(leases.First(l => l is not null)!.TrialId, leases.First(l => l is not null)!.LeaseId)).Held);
    }

    [Fact]
    public async Task An_expired_lease_puts_the_trial_back_on_its_next_attempt_and_the_old_lease_is_lost()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var first = (await sweeps.Scheduler.LeaseAsync("worker-a"))!;

        Assert.Equal(0, await sweeps.Scheduler.ExpireLeasesAsync());
        sweeps.Clock.Advance(TimeSpan.FromSeconds(2));
        int requeued = await sweeps.Scheduler.ExpireLeasesAsync();

        Assert.Equal(1, requeued);
        Assert.False((await sweeps.Scheduler.HeartbeatAsync(first.TrialId, first.LeaseId)).Held);
        var second = (await sweeps.Scheduler.LeaseAsync("worker-b"))!;
        Assert.Equal((first.TrialId, 1, 2), (second.TrialId, first.Attempt, second.Attempt));
    }

    [Fact]
    public async Task A_lapsed_lease_is_renewed_until_an_expiry_pass_ends_it()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var lease = (await sweeps.Scheduler.LeaseAsync("worker-a"))!;
        sweeps.Clock.Advance(TimeSpan.FromSeconds(5));
        var renewedAt = sweeps.Clock.GetUtcNow().UtcDateTime;

        var late = await sweeps.Scheduler.HeartbeatAsync(lease.TrialId, lease.LeaseId);
        int requeuedAfterRenewal = await sweeps.Scheduler.ExpireLeasesAsync();
        sweeps.Clock.Advance(TimeSpan.FromSeconds(2));
        int requeuedAfterLapse = await sweeps.Scheduler.ExpireLeasesAsync();

        Assert.Equal((true, (DateTime?)(renewedAt + TimeSpan.FromSeconds(1))), (late.Held, late.ExpiresAt));
        Assert.Equal((0, 1), (requeuedAfterRenewal, requeuedAfterLapse));
        Assert.False((await sweeps.Scheduler.HeartbeatAsync(lease.TrialId, lease.LeaseId)).Held);
    }

    [Fact]
    public async Task No_lease_expires_within_the_grace_after_the_scheduler_starts()
    {
        await using var sweeps = await SweepCluster.StartAsync(new Dictionary<string, string> { ["LeaseGrace"] = "00:00:30" });
        await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var lease = (await sweeps.Scheduler.LeaseAsync("worker-a"))!;

        sweeps.Clock.Advance(TimeSpan.FromSeconds(5));
        int withinGrace = await sweeps.Scheduler.ExpireLeasesAsync();
        sweeps.Clock.Advance(TimeSpan.FromSeconds(26));
        int afterGrace = await sweeps.Scheduler.ExpireLeasesAsync();

        Assert.Equal((0, 1), (withinGrace, afterGrace));
        Assert.False((await sweeps.Scheduler.HeartbeatAsync(lease.TrialId, lease.LeaseId)).Held);
    }

    [Fact]
    public async Task A_report_under_a_lease_that_moved_on_is_told_to_abandon_the_trial()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var grain = sweeps.Sweep(snapshot.SweepId);
        var lost = (await sweeps.Scheduler.LeaseAsync("worker-a"))!;
        sweeps.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await sweeps.Scheduler.ExpireLeasesAsync());
        var current = (await sweeps.Scheduler.LeaseAsync("worker-b"))!;

        var stale = await grain.ReportEpochAsync(new EpochResult(lost.TrialId, lost.LeaseId, 1, AnyTrain, new(150, 145, 5)));
        var held = await grain.ReportEpochAsync(new EpochResult(current.TrialId, current.LeaseId, 1, AnyTrain, new(150, 145, 5)));

        Assert.Equal((EpochDecision.Abandon, "the lease moved on: it expired, and the trial is another attempt's or has ended"), (stale.Decision, stale.Reason));
        Assert.Equal(EpochDecision.Continue, held.Decision);
    }

    [Fact]
    public async Task An_error_in_training_is_retried_until_max_attempts_and_a_lost_worker_does_not_count()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var grain = sweeps.Sweep(snapshot.SweepId);

        // Default MaxAttempts: 3 errors. Attempt 2 loses its worker in between.
        var attempts = new List<int>();
        for (int error = 1; error <= 3; error++)
        {
            var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;
            attempts.Add(lease.Attempt);
            if (error == 2)
            {
                sweeps.Clock.Advance(TimeSpan.FromSeconds(2));
                await sweeps.Scheduler.ExpireLeasesAsync();
                lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;
                attempts.Add(lease.Attempt);
            }
            await grain.EndTrialAsync(TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Error, $"IOException: disk full ({error})"));
            Assert.Equal(error < 3 ? "running" : "completed", (await grain.GetAsync()).Status);
        }

        Assert.Equal([1, 2, 3, 4], attempts);
        var trial = (await sweeps.Trials.ListAsync(new TrialQuery(snapshot.SweepId))).Trials.Single();
        Assert.Equal((TrialStatus.Failed, FailureClass.Error, "IOException: disk full (3)", 3, 1),
            (trial.Status, trial.FailureClass, trial.FailureReason, trial.ModelFailures, trial.InfrastructureLosses));
    }

    [Fact]
    public async Task A_diverged_trial_fails_at_once()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    value: 1\n");
        var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;

        await sweeps.Sweep(snapshot.SweepId).EndTrialAsync(TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Diverged, "diverged: loss is NaN at epoch 1, batch 3"));

        var trial = (await sweeps.Trials.GetAsync(lease.TrialId))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Diverged, 1), (trial.Status, trial.FailureClass, trial.Attempt));
        Assert.Equal("completed", (await sweeps.Sweep(snapshot.SweepId).GetAsync()).Status);
        Assert.Null(await sweeps.Scheduler.LeaseAsync("worker"));
    }

    [Fact]
    public async Task The_expiry_pass_fails_a_trial_past_its_infrastructure_attempts_and_one_past_the_trial_timeout()
    {
        await using var sweeps = await SweepCluster.StartAsync(new Dictionary<string, string> { ["InfrastructureAttempts"] = "2", ["TrialTimeout"] = "00:00:05" });
        var snapshot = await sweeps.SubmitAsync("method: grid\nparameters:\n  beta:\n    values: [1, 2]\n");
        var slow = (await sweeps.Scheduler.LeaseAsync("worker-a"))!;
        var lost = (await sweeps.Scheduler.LeaseAsync("worker-b"))!;

        // The slow trial's worker keeps renewing its lease; the other trial loses its worker twice.
        for (int step = 1; step <= 11; step++)
        {
            sweeps.Clock.Advance(TimeSpan.FromSeconds(0.5));
            Assert.True((await sweeps.Scheduler.HeartbeatAsync(slow.TrialId, slow.LeaseId)).Held);
            if (step != 4) continue;
            Assert.Equal(1, await sweeps.Scheduler.ExpireLeasesAsync());
            lost = (await sweeps.Scheduler.LeaseAsync("worker-c"))!;
        }
        Assert.Equal(2, lost.Attempt);
        Assert.Equal(0, await sweeps.Scheduler.ExpireLeasesAsync());

        Assert.False((await sweeps.Scheduler.HeartbeatAsync(slow.TrialId, slow.LeaseId)).Held);
        var trials = (await sweeps.Trials.ListAsync(new TrialQuery(snapshot.SweepId))).Trials.ToDictionary(t => t.Id);
        Assert.Equal((TrialStatus.Failed, FailureClass.Infrastructure, 2), (trials[lost.TrialId].Status, trials[lost.TrialId].FailureClass, trials[lost.TrialId].InfrastructureLosses));
        Assert.Equal((TrialStatus.Failed, FailureClass.Timeout), (trials[slow.TrialId].Status, trials[slow.TrialId].FailureClass));
    }

    [Fact]
    public async Task A_sweep_completes_when_its_last_trial_ends_and_its_best_trial_is_the_lowest_loss()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(BetaGrid);
        var grain = sweeps.Sweep(snapshot.SweepId);
        double[] losses = [160, 150, 170];

        for (int i = 0; i < losses.Length; i++)
        {
            var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;
            var verdict = await grain.ReportEpochAsync(new EpochResult(lease.TrialId, lease.LeaseId, 1, AnyTrain, new(losses[i], losses[i] - 5, 5)));
            Assert.Equal(EpochDecision.Continue, verdict.Decision);
            Assert.Equal("running", (await grain.GetAsync()).Status);
            await grain.EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(losses[i], losses[i] - 5, 5, losses[i] + 3, 2)));
        }

        Assert.Equal(("completed", 0), ((await grain.GetAsync()).Status, (await grain.GetAsync()).OpenTrials));
        var best = await sweeps.Trials.BestAsync(snapshot.SweepId, TrialMetric.TestTotal, MetricGoal.Minimize);
        Assert.Equal((2, 150.0), (best!.Number, best.TestTotal));
    }

    [Fact]
    public async Task Hyperband_stops_a_trial_outside_the_best_third_at_a_milestone()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(BetaGrid + "early_terminate: {type: hyperband, min_iter: 1, eta: 3}\n");
        var grain = sweeps.Sweep(snapshot.SweepId);
        var leases = new List<TrialLease>();
        for (int i = 0; i < 3; i++) leases.Add((await sweeps.Scheduler.LeaseAsync("worker"))!);

        EpochDecision Report(int trial, double loss) =>
            grain.ReportEpochAsync(new EpochResult(leases[trial].TrialId, leases[trial].LeaseId, 1, AnyTrain, new(loss, loss - 5, 5))).Result.Decision;

        Assert.Equal(EpochDecision.Continue, Report(0, 100));
        Assert.Equal(EpochDecision.Continue, Report(1, 90));
        Assert.Equal(EpochDecision.Stop, Report(2, 300));
        await grain.EndTrialAsync(TrialResult.Stopped(leases[2].TrialId, leases[2].LeaseId, new(300, 295, 5, null, null)));
        Assert.Equal(TrialStatus.Stopped, (await sweeps.Trials.GetAsync(leases[2].TrialId))!.Status);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_open_trials_and_their_workers_are_told_to_drop_them()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(BetaGrid);
        var grain = sweeps.Sweep(snapshot.SweepId);
        var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;

        var cancelled = await grain.CancelAsync();

        Assert.Equal(("cancelled", 0), (cancelled.Status, cancelled.OpenTrials));
        var verdict = await grain.ReportEpochAsync(new EpochResult(lease.TrialId, lease.LeaseId, 1, AnyTrain, new(150, 145, 5)));
        Assert.Equal(EpochDecision.Abandon, verdict.Decision);
        Assert.False((await sweeps.Scheduler.HeartbeatAsync(lease.TrialId, lease.LeaseId)).Held);
        Assert.Null(await sweeps.Scheduler.LeaseAsync("worker"));
        Assert.All((await sweeps.Trials.ListAsync(new TrialQuery(snapshot.SweepId))).Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
    }

    [Fact]
    public async Task A_random_sweep_proposes_more_trials_as_results_arrive_up_to_its_run_cap()
    {
        await using var sweeps = await SweepCluster.StartAsync();
        var snapshot = await sweeps.SubmitAsync(
            "method: random\nrun_cap: 5\nworkers_hint: 2\nparameters:\n  beta:\n    distribution: uniform\n    min: 1\n    max: 8\n");
        var grain = sweeps.Sweep(snapshot.SweepId);
        Assert.Equal(2, snapshot.Trials);

        for (int i = 0; i < 5; i++)
        {
            var lease = (await sweeps.Scheduler.LeaseAsync("worker"))!;
            await grain.EndTrialAsync(TrialResult.Completed(lease.TrialId, lease.LeaseId, new(150 + i, 145, 5, null, null)));
        }

        var done = await grain.GetAsync();
        Assert.Equal(("completed", 5), (done.Status, done.Trials));
        Assert.Null(await sweeps.Scheduler.LeaseAsync("worker"));
    }
}

using System.Collections.Concurrent;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

public sealed class TrialLeaseTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Lease_takes_the_oldest_pending_trial_and_records_the_lease(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var older = await db.Sweeps.CreateAsync(Samples.Sweep("older"), Samples.Trials(2));
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        await db.Sweeps.CreateAsync(Samples.Sweep("newer"), Samples.Trials(2));
        var now = db.Clock.GetUtcNow().UtcDateTime;

        var first = await db.Leases.LeaseNextAsync("worker-1", Minute);
        var second = await db.Leases.LeaseNextAsync("worker-2", Minute);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal((older.Id, 1, older.Id, 2), (first.SweepId, first.Number, second.SweepId, second.Number));
        var stored = (await db.Trials.GetAsync(first.Id))!;
        Assert.Equal((TrialStatus.Running, first.LeaseId, "worker-1", "worker-1", now + Minute, now, 1, 1),
            (stored.Status, stored.LeaseId, stored.LeaseOwner, stored.Worker, stored.LeaseExpiresAt, stored.StartedAt, stored.Attempt, stored.Version));
        Assert.NotEqual(first.LeaseId, second.LeaseId);
    }

    [Theory, BothProviders]
    public async Task Lease_for_one_sweep_takes_only_its_trials(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep("older"), Samples.Trials(2));
        var newer = await db.Sweeps.CreateAsync(Samples.Sweep("newer"), Samples.Trials(1));

        var leased = await db.Leases.LeaseNextAsync("worker-1", Minute, newer.Id);
        var none = await db.Leases.LeaseNextAsync("worker-1", Minute, newer.Id);

        Assert.Equal(newer.Id, leased?.SweepId);
        Assert.Null(none);
    }

    [Theory, BothProviders]
    public async Task Lease_is_null_when_nothing_is_pending(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));

        Assert.NotNull(await db.Leases.LeaseNextAsync("worker-1", Minute));
        Assert.Null(await db.Leases.LeaseNextAsync("worker-1", Minute));
    }

    [Theory, BothProviders]
    public async Task Eight_concurrent_workers_lease_each_of_100_trials_exactly_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(100));
        var leases = new ConcurrentBag<(string Worker, TrialRecord Trial)>();

        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            string worker = $"worker-{i}";
            while (await db.Leases.LeaseNextAsync(worker, Minute) is { } trial) leases.Add((worker, trial));
        })));

        Assert.Equal(100, leases.Count);
        Assert.Equal(Enumerable.Range(1, 100), leases.Select(l => l.Trial.Number).Order());
        var stored = (await db.Trials.ListAsync(new TrialQuery(sweep.Id) { Limit = 1000 })).Trials;
        Assert.All(stored, t => Assert.Equal(TrialStatus.Running, t.Status));
        Assert.Equal(
            leases.ToDictionary(l => l.Trial.Id, l => (l.Worker, l.Trial.LeaseId)),
            stored.ToDictionary(t => t.Id, t => (t.LeaseOwner!, t.LeaseId)));
    }

    [Theory, BothProviders]
    public async Task Renew_extends_a_held_lease_only(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        db.Clock.Advance(TimeSpan.FromSeconds(40));

        var renewed = await db.Leases.RenewAsync(trial.Id, trial.LeaseId!.Value, Minute);
        var wrongLease = await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(trial.Id, Guid.NewGuid(), Minute));

        Assert.Equal(trial.LeaseExpiresAt + TimeSpan.FromSeconds(40), renewed);
        Assert.Equal(renewed, (await db.Trials.GetAsync(trial.Id))!.LeaseExpiresAt);
        Assert.Contains($"trial {trial.Id}: lease", wrongLease.Message, StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task A_lapsed_lease_is_renewed_until_an_expiry_ends_it(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        db.Clock.Advance(TimeSpan.FromSeconds(90));
        int lapsed = await db.Leases.CountLapsedAsync();

        var renewed = await db.Leases.RenewAsync(trial.Id, trial.LeaseId!.Value, Minute);
        var afterRenewal = (await db.Leases.CountLapsedAsync(), await db.Leases.ExpireAsync(infrastructureAttempts: 3, trialTimeout: null));
        db.Clock.Advance(TimeSpan.FromSeconds(61));
        var expired = await db.Leases.ExpireAsync(infrastructureAttempts: 3, trialTimeout: null);
        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(trial.Id, trial.LeaseId.Value, Minute));

        Assert.Equal(1, lapsed);
        Assert.Equal(db.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(1), renewed);
        Assert.Equal((0, new ExpiredLeases(0, 0, 0)), afterRenewal);
        Assert.Equal(new ExpiredLeases(1, 0, 0), expired);
        Assert.Equal($"trial {trial.Id}: lease {trial.LeaseId} is no longer held (expired, or the trial was cancelled)", refused.Message);
        Assert.False(await db.Leases.IsHeldAsync(trial.Id, trial.LeaseId.Value));
    }

    [Theory, BothProviders]
    public async Task A_lease_is_held_while_its_trial_runs_under_it(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        bool running = await db.Leases.IsHeldAsync(trial.Id, trial.LeaseId!.Value);
        bool otherLease = await db.Leases.IsHeldAsync(trial.Id, Guid.NewGuid());
        bool unknownTrial = await db.Leases.IsHeldAsync(Guid.NewGuid(), trial.LeaseId.Value);
        await db.Leases.EndAsync(trial.Id, trial.LeaseId.Value, TrialOutcome.Completed(Samples.Metrics(160)));
        bool ended = await db.Leases.IsHeldAsync(trial.Id, trial.LeaseId.Value);

        Assert.Equal((true, false, false, false), (running, otherLease, unknownTrial, ended));
    }

    [Theory, BothProviders]
    public async Task Expired_lease_puts_the_trial_back_pending_on_its_next_attempt_as_an_infrastructure_loss(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var lost = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        db.Clock.Advance(TimeSpan.FromSeconds(30));
        var held = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;
        db.Clock.Advance(TimeSpan.FromSeconds(31));

        var expired = await db.Leases.ExpireAsync(infrastructureAttempts: 10, trialTimeout: null);

        Assert.Equal(new ExpiredLeases(1, 0, 0), expired);
        var requeued = (await db.Trials.GetAsync(lost.Id))!;
        Assert.Equal((TrialStatus.Pending, 2, 1, 0, null, null, null, "worker-1", lost.Version + 1),
            (requeued.Status, requeued.Attempt, requeued.InfrastructureLosses, requeued.ModelFailures, requeued.LeaseId, requeued.LeaseOwner, requeued.LeaseExpiresAt,
                requeued.Worker, requeued.Version));
        Assert.Null(requeued.FailureClass);
        Assert.Equal(TrialStatus.Running, (await db.Trials.GetAsync(held.Id))!.Status);
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.EndAsync(lost.Id, lost.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(160))));
        var retried = await db.Leases.LeaseNextAsync("worker-3", Minute);
        Assert.Equal((lost.Id, 2, "worker-3", db.Clock.GetUtcNow().UtcDateTime), (retried?.Id, retried?.Attempt, retried?.Worker, retried?.LeasedAt));
    }

    [Theory, BothProviders]
    public async Task Losing_its_worker_as_often_as_the_infrastructure_budget_fails_the_trial_whatever_max_attempts_is(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        for (int loss = 1; loss < 4; loss++)
        {
            db.Clock.Advance(2 * Minute);
            Assert.Equal(new ExpiredLeases(1, 0, 0), await db.Leases.ExpireAsync(infrastructureAttempts: 4, trialTimeout: null));
            await db.Leases.LeaseNextAsync($"worker-{loss + 1}", Minute);
        }
        db.Clock.Advance(2 * Minute);

        var expired = await db.Leases.ExpireAsync(infrastructureAttempts: 4, trialTimeout: null);

        Assert.Equal(new ExpiredLeases(0, 1, 0), expired);
        var failed = (await db.Trials.GetAsync(trial.Id))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Infrastructure, 4, 4, 0, null, db.Clock.GetUtcNow().UtcDateTime),
            (failed.Status, failed.FailureClass, failed.Attempt, failed.InfrastructureLosses, failed.ModelFailures, failed.LeaseId, failed.FinishedAt));
        Assert.Equal("worker lost or unreachable: its lease expired on 4 of 4 infrastructure attempts", failed.FailureReason);
        Assert.Null(await db.Leases.LeaseNextAsync("worker-5", Minute));
    }

    [Theory, BothProviders]
    public async Task An_error_puts_the_trial_back_in_the_queue_until_it_has_failed_max_attempts_times(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        var first = await db.Leases.FailAttemptAsync(trial.Id, trial.LeaseId!.Value, FailureClass.Error, "IOException: disk full", maxAttempts: 2);
        // A lost worker in between does not count against the attempts.
        var second = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;
        db.Clock.Advance(2 * Minute);
        await db.Leases.ExpireAsync(infrastructureAttempts: 10, trialTimeout: null);
        var third = (await db.Leases.LeaseNextAsync("worker-3", Minute))!;
        var last = await db.Leases.FailAttemptAsync(third.Id, third.LeaseId!.Value, FailureClass.Error, "InvalidDataException: bad checkpoint", maxAttempts: 2);

        Assert.Equal((TrialStatus.Pending, 2, 1, null, "IOException: disk full", null),
            (first.Status, first.Attempt, first.ModelFailures, first.FailureClass, first.FailureReason, first.LeaseId));
        Assert.Equal((trial.Id, 2), (second.Id, second.Attempt));
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.FailAttemptAsync(trial.Id, trial.LeaseId.Value, FailureClass.Error, "late", maxAttempts: 2));
        var stored = (await db.Trials.GetAsync(trial.Id))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Error, "InvalidDataException: bad checkpoint", 3, 2, 1, db.Clock.GetUtcNow().UtcDateTime),
            (stored.Status, stored.FailureClass, stored.FailureReason, stored.Attempt, stored.ModelFailures, stored.InfrastructureLosses, stored.FinishedAt));
        Assert.Equal(last.Version, stored.Version);
        Assert.Null(await db.Leases.LeaseNextAsync("worker-4", Minute));
    }

    [Theory, BothProviders]
    public async Task A_diverged_trial_fails_at_once_with_attempts_left(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        var failed = await db.Leases.FailAttemptAsync(trial.Id, trial.LeaseId!.Value, FailureClass.Diverged, "diverged: loss is NaN at epoch 3, batch 7", maxAttempts: 3);

        var stored = (await db.Trials.GetAsync(trial.Id))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Diverged, "diverged: loss is NaN at epoch 3, batch 7", 1, 1, null),
            (stored.Status, stored.FailureClass, stored.FailureReason, stored.Attempt, stored.ModelFailures, stored.LeaseId));
        Assert.Equal(failed.Version, stored.Version);
        Assert.Null(await db.Leases.LeaseNextAsync("worker-2", Minute));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => db.Leases.FailAttemptAsync(trial.Id, Guid.NewGuid(), FailureClass.Timeout, "not a worker's", 3));
    }

    [Theory, BothProviders]
    public async Task An_attempt_running_past_the_trial_timeout_fails_even_with_its_lease_renewed(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var lease = 2 * Minute;
        var slow = (await db.Leases.LeaseNextAsync("worker-1", lease))!;
        db.Clock.Advance(TimeSpan.FromSeconds(40));
        var recent = (await db.Leases.LeaseNextAsync("worker-2", lease))!;
        var timeout = TimeSpan.FromSeconds(90);
        // Renewed up to exactly the timeout: still within it.
        for (int i = 0; i < 2; i++)
        {
            db.Clock.Advance(TimeSpan.FromSeconds(25));
            await db.Leases.RenewAsync(slow.Id, slow.LeaseId!.Value, lease);
            await db.Leases.RenewAsync(recent.Id, recent.LeaseId!.Value, lease);
            Assert.Equal(new ExpiredLeases(0, 0, 0), await db.Leases.ExpireAsync(10, timeout));
        }
        db.Clock.Advance(TimeSpan.FromSeconds(1));

        var expired = await db.Leases.ExpireAsync(10, timeout);

        Assert.Equal(new ExpiredLeases(0, 0, 1), expired);
        var failed = (await db.Trials.GetAsync(slow.Id))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Timeout, "timed out: the attempt ran longer than 1m30s (the coordinator's TrialTimeout)", null, db.Clock.GetUtcNow().UtcDateTime),
            (failed.Status, failed.FailureClass, failed.FailureReason, failed.LeaseId, failed.FinishedAt));
        Assert.Equal(TrialStatus.Running, (await db.Trials.GetAsync(recent.Id))!.Status);
        // Its worker's next heartbeat finds the lease lost, and it drops the trial.
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(slow.Id, slow.LeaseId!.Value, lease));
    }

    [Theory, BothProviders]
    public async Task A_sweeps_own_trial_timeout_overrides_the_coordinators(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var own = await db.Sweeps.CreateAsync(Samples.Sweep("own limit") with { TrialTimeout = TimeSpan.FromSeconds(30) }, Samples.Trials(1));
        var longer = await db.Sweeps.CreateAsync(Samples.Sweep("longer limit") with { TrialTimeout = TimeSpan.FromMinutes(5) }, Samples.Trials(1));
        var coordinators = await db.Sweeps.CreateAsync(Samples.Sweep("coordinator's limit"), Samples.Trials(1));
        var lease = 10 * Minute;
        var trials = new Dictionary<Guid, TrialRecord>();
        foreach (var sweep in new[] { own, longer, coordinators }) trials[sweep.Id] = (await db.Leases.LeaseNextAsync("worker", lease, sweep.Id))!;

        db.Clock.Advance(TimeSpan.FromSeconds(31));
        var first = await db.Leases.ExpireAsync(10, trialTimeout: TimeSpan.FromMinutes(1));
        db.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await db.Leases.ExpireAsync(10, trialTimeout: TimeSpan.FromMinutes(1));

        Assert.Equal((new ExpiredLeases(0, 0, 1), new ExpiredLeases(0, 0, 1)), (first, second));
        var ended = new Dictionary<Guid, TrialRecord>();
        foreach (var (sweepId, trial) in trials) ended[sweepId] = (await db.Trials.GetAsync(trial.Id))!;
        Assert.Equal((TrialStatus.Failed, FailureClass.Timeout, "timed out: the attempt ran longer than 30s (the sweep's trial_timeout)"),
            (ended[own.Id].Status, ended[own.Id].FailureClass, ended[own.Id].FailureReason));
        Assert.Equal(TrialStatus.Running, ended[longer.Id].Status);
        Assert.Equal((TrialStatus.Failed, "timed out: the attempt ran longer than 1m (the coordinator's TrialTimeout)"),
            (ended[coordinators.Id].Status, ended[coordinators.Id].FailureReason));
        Assert.Equal(TimeSpan.FromSeconds(30), (await db.Sweeps.GetAsync(own.Id))!.TrialTimeout);
    }

    [Theory, BothProviders]
    public async Task Ending_under_the_lease_records_the_outcome_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var completed = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        var stopped = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;

        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(161.0, 156.2, 4.8, 158.9, 2)));
        await db.Leases.EndAsync(stopped.Id, stopped.LeaseId!.Value, TrialOutcome.Stopped());
        var again = await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.EndAsync(completed.Id, completed.LeaseId.Value, TrialOutcome.Cancelled()));

        var stored = (await db.Trials.GetAsync(completed.Id))!;
        Assert.Equal((TrialStatus.Completed, 161.0, 156.2, 4.8, 158.9, 2, null, db.Clock.GetUtcNow().UtcDateTime),
            (stored.Status, stored.TestTotal, stored.TestRecon, stored.TestKl, stored.IwaeNll, stored.ActiveUnits, stored.LeaseId, stored.FinishedAt));
        Assert.Equal((TrialStatus.Stopped, null), ((await db.Trials.GetAsync(stopped.Id))!.Status, (await db.Trials.GetAsync(stopped.Id))!.FailureClass));
        Assert.Contains(completed.Id.ToString(), again.Message, StringComparison.Ordinal);
    }
}

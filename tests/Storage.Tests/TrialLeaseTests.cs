using System.Collections.Concurrent;
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
        var afterRenewal = (await db.Leases.CountLapsedAsync(), await db.Leases.ExpireAsync(maxAttempts: 3));
        db.Clock.Advance(TimeSpan.FromSeconds(61));
        var expired = await db.Leases.ExpireAsync(maxAttempts: 3);
        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(trial.Id, trial.LeaseId.Value, Minute));

        Assert.Equal(1, lapsed);
        Assert.Equal(db.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(1), renewed);
        Assert.Equal((0, new ExpiredLeases(0, 0)), afterRenewal);
        Assert.Equal(new ExpiredLeases(1, 0), expired);
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
    public async Task Expired_lease_puts_the_trial_back_pending_on_its_next_attempt(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var lost = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        db.Clock.Advance(TimeSpan.FromSeconds(30));
        var held = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;
        db.Clock.Advance(TimeSpan.FromSeconds(31));

        var expired = await db.Leases.ExpireAsync(maxAttempts: 3);

        Assert.Equal(new ExpiredLeases(1, 0), expired);
        var requeued = (await db.Trials.GetAsync(lost.Id))!;
        Assert.Equal((TrialStatus.Pending, 2, null, null, null, "worker-1", lost.Version + 1),
            (requeued.Status, requeued.Attempt, requeued.LeaseId, requeued.LeaseOwner, requeued.LeaseExpiresAt, requeued.Worker, requeued.Version));
        Assert.Equal(TrialStatus.Running, (await db.Trials.GetAsync(held.Id))!.Status);
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.EndAsync(lost.Id, lost.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(160))));
        var retried = await db.Leases.LeaseNextAsync("worker-3", Minute);
        Assert.Equal((lost.Id, 2, "worker-3"), (retried?.Id, retried?.Attempt, retried?.Worker));
    }

    [Theory, BothProviders]
    public async Task Lease_expiring_on_the_last_attempt_fails_the_trial(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        db.Clock.Advance(2 * Minute);
        await db.Leases.ExpireAsync(maxAttempts: 2);
        await db.Leases.LeaseNextAsync("worker-2", Minute);
        db.Clock.Advance(2 * Minute);

        var expired = await db.Leases.ExpireAsync(maxAttempts: 2);

        Assert.Equal(new ExpiredLeases(0, 1), expired);
        var failed = (await db.Trials.GetAsync(trial.Id))!;
        Assert.Equal((TrialStatus.Failed, "lease expired on attempt 2 of 2", null, db.Clock.GetUtcNow().UtcDateTime),
            (failed.Status, failed.FailureReason, failed.LeaseId, failed.FinishedAt));
        Assert.Null(await db.Leases.LeaseNextAsync("worker-3", Minute));
    }

    [Theory, BothProviders]
    public async Task Ending_under_the_lease_records_the_outcome_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        var completed = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        var failed = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;

        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(161.0, 156.2, 4.8, 158.9, 2)));
        await db.Leases.EndAsync(failed.Id, failed.LeaseId!.Value, TrialOutcome.Failed("diverged: NaN loss in epoch 3"));
        var again = await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.EndAsync(completed.Id, completed.LeaseId.Value, TrialOutcome.Cancelled()));

        var stored = (await db.Trials.GetAsync(completed.Id))!;
        Assert.Equal((TrialStatus.Completed, 161.0, 156.2, 4.8, 158.9, 2, null, db.Clock.GetUtcNow().UtcDateTime),
            (stored.Status, stored.TestTotal, stored.TestRecon, stored.TestKl, stored.IwaeNll, stored.ActiveUnits, stored.LeaseId, stored.FinishedAt));
        Assert.Equal((TrialStatus.Failed, "diverged: NaN loss in epoch 3"), ((await db.Trials.GetAsync(failed.Id))!.Status, (await db.Trials.GetAsync(failed.Id))!.FailureReason));
        Assert.Contains(completed.Id.ToString(), again.Message, StringComparison.Ordinal);
    }
}

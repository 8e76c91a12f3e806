using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

public sealed class TrialRetryTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Retrying_a_finished_sweeps_failed_trial_queues_it_on_its_next_attempt_with_fresh_budgets(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var (sweepId, failed, completed) = await FinishedSweepAsync(db);

        var retried = await db.Retries.RetryAsync(sweepId, numbers: null);

        Assert.True(retried.SweepReopened);
        var trial = Assert.Single(retried.Trials);
        Assert.Equal(failed.Id, trial.Id);
        var stored = (await db.Trials.GetAsync(failed.Id))!;
        Assert.Equal((TrialStatus.Pending, 4, 0, 0, null, null, null),
            (stored.Status, stored.Attempt, stored.ModelFailures, stored.InfrastructureLosses, stored.FailureClass, stored.FinishedAt, stored.LeaseId));
        var sweep = (await db.Sweeps.GetAsync(sweepId))!;
        Assert.Equal((SweepStatus.Running, null), (sweep.Status, sweep.FinishedAt));
        Assert.Equal(TrialStatus.Completed, (await db.Trials.GetAsync(completed.Id))!.Status);
        var line = (await db.Logs.ListAsync(failed.Id))[^1];
        Assert.Equal((4, TrialLogLevel.Info, "coordinator", "retried by the user (the trial was failed): attempt 4, which resumes from the last checkpoint"),
            (line.Attempt, line.Level, line.Source, line.Message));

        // The next lease takes it, on attempt 4; a new error counts from a fresh budget.
        var leased = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        Assert.Equal((failed.Id, 4), (leased.Id, leased.Attempt));
        var afterError = await db.Leases.FailAttemptAsync(leased.Id, leased.LeaseId!.Value, FailureClass.Error, "again", maxAttempts: 3);
        Assert.Equal((TrialStatus.Pending, 5, 1), (afterError.Status, afterError.Attempt, afterError.ModelFailures));
    }

    [Theory, BothProviders]
    public async Task Retrying_trials_by_number_takes_cancelled_and_stopped_ones(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var stopped = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await db.Leases.EndAsync(stopped.Id, stopped.LeaseId!.Value, TrialOutcome.Stopped(Samples.Metrics(100)));
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);

        var retried = await db.Retries.RetryAsync(sweep.Id, [3, 1]);

        Assert.Equal([(1, TrialStatus.Pending, 2, (double?)null), (3, TrialStatus.Pending, 2, null)],
            retried.Trials.Select(t => (t.Number, t.Status, t.Attempt, t.TestTotal)));
        Assert.Equal(TrialStatus.Cancelled, (await db.Trials.ListAllAsync(sweep.Id)).Single(t => t.Number == 2).Status);
        Assert.Equal(SweepStatus.Running, (await db.Sweeps.GetAsync(sweep.Id))!.Status);
    }

    [Theory, BothProviders]
    public async Task A_refused_retry_changes_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var completed = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(100)));
        await db.Leases.LeaseNextAsync("worker-1", Minute);
        var before = await SnapshotAsync(db);

        var nothingFailed = await Assert.ThrowsAsync<TrialRetryRefusedException>(() => db.Retries.RetryAsync(sweep.Id, null));
        var unknown = await Assert.ThrowsAsync<TrialRetryRefusedException>(() => db.Retries.RetryAsync(sweep.Id, [3, 7, 9]));
        var done = await Assert.ThrowsAsync<TrialRetryRefusedException>(() => db.Retries.RetryAsync(sweep.Id, [1]));
        var running = await Assert.ThrowsAsync<TrialRetryRefusedException>(() => db.Retries.RetryAsync(sweep.Id, [2, 3]));
        await Assert.ThrowsAsync<Errors.RecordNotFoundException>(() => db.Retries.RetryAsync(Guid.NewGuid(), null));

        Assert.Equal((TrialRetryRefusal.NothingFailed, $"sweep {sweep.Id} has no failed trial to retry"), (nothingFailed.Refusal, nothingFailed.Message));
        Assert.Equal((TrialRetryRefusal.NoSuchTrial, $"sweep {sweep.Id} has no trial 7, 9"), (unknown.Refusal, unknown.Message));
        Assert.Equal((TrialRetryRefusal.NotRetryable, $"trial 1 of sweep {sweep.Id} is completed: only failed, cancelled or stopped trials can be retried"), (done.Refusal, done.Message));
        Assert.Equal((TrialRetryRefusal.NotRetryable, $"trial 2 of sweep {sweep.Id} is running: only failed, cancelled or stopped trials can be retried"), (running.Refusal, running.Message));
        Assert.Equal(before, await SnapshotAsync(db));
    }

    /// <summary>A completed sweep: trial 1 failed in training on its third attempt, trial 2 completed.</summary>
    private static async Task<(Guid SweepId, TrialRecord Failed, TrialRecord Completed)> FinishedSweepAsync(TestDatabase db)
    {
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var failed = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        var completed = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;
        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(100)));
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var lease = attempt == 1 ? failed : (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
            await db.Leases.FailAttemptAsync(failed.Id, lease.LeaseId!.Value, FailureClass.Error, $"error {attempt}", maxAttempts: 3);
        }
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Completed);
        return (sweep.Id, failed, completed);
    }

    /// <summary>Every trial's and sweep's status and version, and the number of log lines: what a refused retry must leave as it was.</summary>
    private static async Task<string> SnapshotAsync(TestDatabase db)
    {
        await using var context = db.Contexts.CreateDbContext();
        var trials = await context.Trials.OrderBy(t => t.Number).Select(t => $"{t.Number}:{t.Status}:{t.Attempt}:{t.Version}").ToListAsync();
        var sweeps = await context.Sweeps.Select(s => $"{s.Status}:{s.Version}").ToListAsync();
        return $"{string.Join(',', trials)} {string.Join(',', sweeps)} {await context.TrialLogLines.CountAsync()}";
    }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

/// <summary>An ended sweep re-opened (resume, retry) and deleted with everything stored for it.</summary>
public sealed class SweepReopenDeleteTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Reopening_a_cancelled_sweep_queues_its_cancelled_trials_again_with_their_checkpoints(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var completed = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(150)));
        var running = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await StoreEpochAsync(db, running, 1);
        var cancelled = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);

        var reopened = await db.Sweeps.ReopenAsync(sweep.Id, cancelled.Version, [TrialStatus.Cancelled]);

        var stored = (await db.Sweeps.GetAsync(sweep.Id))!;
        Assert.Equal((SweepStatus.Running, (DateTime?)null, cancelled.Version + 1), (stored.Status, stored.FinishedAt, stored.Version));
        Assert.Equal(stored.Version, reopened.Sweep.Version);
        var trials = await db.Trials.ListAllAsync(sweep.Id);
        Assert.Equal(trials.Where(t => t.Number is 2 or 3).Select(t => t.Id).Order(), reopened.ReopenedTrialIds.Order());
        // The one that had run goes on its next attempt; the one that never did is still on its first.
        Assert.Equal(new[] { (TrialStatus.Completed, 1), (TrialStatus.Pending, 2), (TrialStatus.Pending, 1) }, trials.Select(t => (t.Status, t.Attempt)));
        Assert.All(trials.Where(t => t.Number > 1), t => Assert.Equal(((DateTime?)null, (Guid?)null, (FailureClass?)null), (t.FinishedAt, t.LeaseId, t.FailureClass)));
        Assert.Equal(1, (await db.Checkpoints.GetAsync(running.Id))?.Epoch);
        Assert.Equal(2, (await db.Metrics.ListAsync(running.Id)).Count);
        // Back in the queue, in number order: trial 2 resumes first.
        Assert.Equal(running.Id, (await db.Leases.LeaseNextAsync("worker-2", Minute))?.Id);
    }

    [Theory, BothProviders]
    public async Task Reopening_gives_the_failed_trials_asked_for_their_budgets_afresh(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var trial = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
            await db.Leases.FailAttemptAsync(trial.Id, trial.LeaseId!.Value, FailureClass.Diverged, "loss is NaN", maxAttempts: 3);
        }
        var completed = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Completed);

        var reopened = await db.Sweeps.ReopenAsync(sweep.Id, completed.Version, [TrialStatus.Failed], trialNumbers: [2]);

        var trials = await db.Trials.ListAllAsync(sweep.Id);
        Assert.Equal([trials[1].Id], reopened.ReopenedTrialIds);
        Assert.Equal((TrialStatus.Failed, FailureClass.Diverged, 1), (trials[0].Status, trials[0].FailureClass, trials[0].ModelFailures));
        Assert.Equal((TrialStatus.Pending, (FailureClass?)null, 0, 2, "loss is NaN"), (trials[1].Status, trials[1].FailureClass, trials[1].ModelFailures, trials[1].Attempt, trials[1].FailureReason));
        Assert.Equal(SweepStatus.Running, (await db.Sweeps.GetAsync(sweep.Id))?.Status);
    }

    [Theory, BothProviders]
    public async Task Reopening_an_open_sweep_or_from_a_stale_version_changes_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        var running = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);

        var open = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.ReopenAsync(sweep.Id, running.Version, [TrialStatus.Cancelled]));
        var cancelled = await db.Sweeps.TransitionAsync(sweep.Id, running.Version, SweepStatus.Cancelled);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Sweeps.ReopenAsync(sweep.Id, running.Version, [TrialStatus.Cancelled]));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Sweeps.ReopenAsync(Guid.NewGuid(), 0, [TrialStatus.Cancelled]));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Sweeps.ReopenAsync(sweep.Id, cancelled.Version, [TrialStatus.Running]));

        Assert.Contains("is running; only an ended sweep can be re-opened", open.Message, StringComparison.Ordinal);
        var stored = (await db.Sweeps.GetAsync(sweep.Id))!;
        Assert.Equal((SweepStatus.Cancelled, cancelled.Version), (stored.Status, stored.Version));
        Assert.Equal(TrialStatus.Cancelled, (await db.Trials.ListAllAsync(sweep.Id)).Single().Status);
    }

    [Theory, BothProviders]
    public async Task Deleting_a_sweep_removes_its_rows_in_every_child_table_and_no_other_sweeps(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var deleted = await CreateSweepWithEverythingAsync(db, "deleted");
        var kept = await CreateSweepWithEverythingAsync(db, "kept");
        await db.Sweeps.TransitionAsync(deleted.Id, deleted.Version, SweepStatus.Cancelled);
        var before = await CountRowsAsync(db);

        var result = await db.Sweeps.DeleteAsync(deleted.Id);

        Assert.Equal(new DeletedSweep(deleted.Id, "deleted", 2, 2 * 3000), result);
        Assert.Equal(new RowCounts(2, 4, 8, 4, 4), before);
        Assert.Equal(new RowCounts(1, 2, 4, 2, 2), await CountRowsAsync(db));
        Assert.Null(await db.Sweeps.GetAsync(deleted.Id));
        Assert.Equal(2, (await db.Trials.ListAllAsync(kept.Id)).Count);
        Assert.Equal(2 * 3000, await db.Checkpoints.SweepBytesAsync(kept.Id));
    }

    [Fact]
    public async Task Every_table_that_refers_to_a_sweep_or_a_trial_is_deleted_with_it()
    {
        // A table added later (a trial's log lines) follows a deleted sweep without code, by its foreign key alone.
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        await using var context = db.Contexts.CreateDbContext();

        var references = context.Model.GetEntityTypes().SelectMany(entity => entity.GetForeignKeys())
            .Where(key => key.PrincipalEntityType.ClrType == typeof(SweepRecord) || key.PrincipalEntityType.ClrType == typeof(TrialRecord))
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, key => Assert.True(key.DeleteBehavior == DeleteBehavior.Cascade, $"{key.DeclaringEntityType.GetTableName()} does not cascade"));
    }

    [Theory, BothProviders]
    public async Task Deleting_a_pending_or_running_sweep_is_refused_and_deletes_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var pending = await db.Sweeps.CreateAsync(Samples.Sweep("pending"), Samples.Trials(1));
        var running = await CreateSweepWithEverythingAsync(db, "running");
        var before = await CountRowsAsync(db);

        var refusedPending = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.DeleteAsync(pending.Id));
        var refusedRunning = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.DeleteAsync(running.Id));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Sweeps.DeleteAsync(Guid.NewGuid()));

        Assert.Equal($"sweep {pending.Id} is pending with 1 trials pending or running; cancel it first", refusedPending.Message);
        Assert.Equal($"sweep {running.Id} is running with 2 trials pending or running; cancel it first", refusedRunning.Message);
        Assert.Equal(before, await CountRowsAsync(db));
    }

    [Theory, BothProviders]
    public async Task A_worker_still_training_a_deleted_sweeps_trial_stores_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await CreateSweepWithEverythingAsync(db, "deleted");
        var trial = (await db.Trials.ListAllAsync(sweep.Id))[0];
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);
        await db.Sweeps.DeleteAsync(sweep.Id);

        // The lease its worker holds is gone with the trial: renewing, storing an epoch or a checkpoint, ending it all fail.
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(trial.Id, trial.LeaseId!.Value, Minute));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 2, [Split(MetricSplit.Test)]));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 2, new byte[10]));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", [1])]));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(150))));

        Assert.Equal(new RowCounts(0, 0, 0, 0, 0), await CountRowsAsync(db));
    }

    /// <summary>A running sweep of two running trials, each with an epoch (two metric rows), a 3,000-byte checkpoint and a figure.</summary>
    private static async Task<SweepRecord> CreateSweepWithEverythingAsync(TestDatabase db, string name)
    {
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(name), Samples.Trials(2));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        for (int i = 0; i < 2; i++)
        {
            var trial = (await db.Leases.LeaseNextAsync("worker-1", Minute, sweep.Id))!;
            await StoreEpochAsync(db, trial, 1);
            await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", [1, 2, 3])]);
        }
        return sweep;
    }

    private static async Task StoreEpochAsync(TestDatabase db, TrialRecord trial, int epoch)
    {
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, epoch, [Split(MetricSplit.Train), Split(MetricSplit.Test)]);
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, epoch, new byte[3000]);
    }

    private static SplitMetrics Split(MetricSplit split) => new(split, 140, 10, 150, 1, 100);

    private static async Task<RowCounts> CountRowsAsync(TestDatabase db)
    {
        await using var context = db.Contexts.CreateDbContext();
        return new RowCounts(
            await context.Sweeps.CountAsync(), await context.Trials.CountAsync(), await context.EpochMetrics.CountAsync(),
            await context.Checkpoints.CountAsync(), await context.TrialFigures.CountAsync());
    }

    private sealed record RowCounts(int Sweeps, int Trials, int EpochMetrics, int Checkpoints, int Figures);
}

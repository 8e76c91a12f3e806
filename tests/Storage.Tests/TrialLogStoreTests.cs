using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Tests;

public sealed class TrialLogStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task Lines_of_every_attempt_are_kept_in_order_with_the_coordinators_lines_between(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        string trace = "System.InvalidOperationException: boom\n   at Trainer.Train()\n   at Slot.Run()";
        await db.Logs.AppendAsync(trial.Id, trial.LeaseId!.Value, TrialLogLevel.Info, "host/slot-0", "attempt 1 started");
        await db.Logs.AppendAsync(trial.Id, trial.LeaseId!.Value, TrialLogLevel.Error, "host/slot-0", trace);
        await db.Leases.FailAttemptAsync(trial.Id, trial.LeaseId!.Value, FailureClass.Error, "InvalidOperationException: boom", maxAttempts: 3);
        var again = (await db.Leases.LeaseNextAsync("worker-2", TimeSpan.FromMinutes(1)))!;
        await db.Logs.AppendAsync(trial.Id, again.LeaseId!.Value, TrialLogLevel.Info, "host/slot-1", "attempt 2 started");

        var lines = await db.Logs.ListAsync(trial.Id);

        Assert.Equal(
            [(1, TrialLogLevel.Info, "host/slot-0", "attempt 1 started"), (1, TrialLogLevel.Error, "host/slot-0", trace),
             (1, TrialLogLevel.Warning, "coordinator", "attempt 1 failed (error, 1 of 3 failures in training): back in the queue as attempt 2, which resumes from the last checkpoint"),
             (2, TrialLogLevel.Info, "host/slot-1", "attempt 2 started")],
            lines.Select(l => (l.Attempt, l.Level, l.Source, l.Message)));
        Assert.True(lines.Zip(lines.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence));
        Assert.Equal(["attempt 2 started"], (await db.Logs.ListAsync(trial.Id, attempt: 2)).Select(l => l.Message));
        Assert.Equal(lines.Skip(2).Select(l => l.Sequence), (await db.Logs.ListAsync(trial.Id, afterSequence: lines[1].Sequence)).Select(l => l.Sequence));
    }

    [Theory, BothProviders]
    public async Task A_worker_whose_lease_moved_on_cannot_write_into_the_log(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var first = await db.CreateRunningTrialAsync();
        var second = await db.LeaseAgainAfterExpiryAsync(first);
        int before = (await db.Logs.ListAsync(first.Id)).Count;

        await Assert.ThrowsAsync<LeaseLostException>(() => db.Logs.AppendAsync(first.Id, first.LeaseId!.Value, TrialLogLevel.Info, "stale", "epoch 3/4"));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Logs.AppendAsync(Guid.NewGuid(), first.LeaseId!.Value, TrialLogLevel.Info, "stale", "epoch 3/4"));

        var lines = await db.Logs.ListAsync(first.Id);
        Assert.Equal(before, lines.Count);
        Assert.DoesNotContain(lines, l => l.Source == "stale");
        // The expiry that moved the lease on is in the log, as the coordinator's line of attempt 1.
        var expiry = Assert.Single(lines);
        Assert.Equal((1, TrialLogLevel.Warning, "coordinator"), (expiry.Attempt, expiry.Level, expiry.Source));
        Assert.Equal("attempt 1 lost: the lease of worker-1 expired (worker lost or unreachable; 1 of 3 infrastructure losses): back in the queue as attempt 2, which resumes from the last checkpoint", expiry.Message);
        Assert.Equal(2, second.Attempt);
    }

    [Theory, BothProviders]
    public async Task A_full_log_drops_info_lines_once_with_a_truncation_line_and_keeps_errors(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        var lease = trial.LeaseId!.Value;
        Assert.True(await db.Logs.AppendAsync(trial.Id, lease, TrialLogLevel.Info, "w", new string('x', TrialLogLimits.MaxLineChars + 500)));
        var cut = Assert.Single(await db.Logs.ListAsync(trial.Id)).Message;
        Assert.Equal(TrialLogLimits.MaxLineChars, cut.Length);
        Assert.EndsWith("… (line truncated)", cut, StringComparison.Ordinal);

        // Fill the log to its line cap straight in the store: appending 2,000 lines one by one is slow and proves nothing more.
        await using (var context = db.Contexts.CreateDbContext())
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            context.TrialLogLines.AddRange(Enumerable.Range(2, TrialLogLimits.MaxLines - 1).Select(i => new TrialLogRecord
            {
                TrialId = trial.Id, Attempt = 1, LoggedAt = now, Level = TrialLogLevel.Info, Source = "w", Message = $"epoch {i}",
            }));
            await context.SaveChangesAsync();
        }

        bool dropped = await db.Logs.AppendAsync(trial.Id, lease, TrialLogLevel.Info, "w", "one line too many");
        bool droppedAgain = await db.Logs.AppendAsync(trial.Id, lease, TrialLogLevel.Warning, "w", "and another");
        bool error = await db.Logs.AppendAsync(trial.Id, lease, TrialLogLevel.Error, "w", "System.Exception: the failure that matters");

        Assert.Equal((false, false, true), (dropped, droppedAgain, error));
        var tail = (await db.Logs.ListAsync(trial.Id)).Skip(TrialLogLimits.MaxLines).Select(l => (l.Level, l.Message));
        Assert.Equal([(TrialLogLevel.Warning, TrialLogLimits.TruncatedMessage), (TrialLogLevel.Error, "System.Exception: the failure that matters")], tail);
    }

    [Theory, BothProviders]
    public async Task Timeouts_divergence_and_cancellation_are_in_the_log(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var timedOut = (await db.Leases.LeaseNextAsync("worker-1", TimeSpan.FromHours(1)))!;
        db.Clock.Advance(TimeSpan.FromMinutes(31));
        await db.Leases.ExpireAsync(infrastructureAttempts: 3, trialTimeout: TimeSpan.FromMinutes(30));
        var diverged = (await db.Leases.LeaseNextAsync("worker-2", TimeSpan.FromHours(1)))!;
        await db.Leases.FailAttemptAsync(diverged.Id, diverged.LeaseId!.Value, FailureClass.Diverged, "diverged: loss is NaN", maxAttempts: 3);
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);
        var pending = (await db.Trials.ListAllAsync(sweep.Id)).Single(t => t.Number == 3);

        Assert.Equal("attempt 1 timed out: the attempt ran longer than 30m (the coordinator's TrialTimeout); the trial failed (timeout)", Assert.Single(await db.Logs.ListAsync(timedOut.Id)).Message);
        Assert.Equal("attempt 1 failed (diverged, 1 of 3 failures in training): the trial failed (divergence is not retried: the same seed from the same checkpoint diverges again)",
            Assert.Single(await db.Logs.ListAsync(diverged.Id)).Message);
        Assert.Equal("attempt 1 cancelled: the sweep is cancelled", Assert.Single(await db.Logs.ListAsync(pending.Id)).Message);
    }

    [Theory, BothProviders]
    public async Task A_trials_lines_are_deleted_with_it(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        await db.Logs.AppendAsync(trial.Id, trial.LeaseId!.Value, TrialLogLevel.Info, "w", "attempt 1 started");

        await using (var context = db.Contexts.CreateDbContext())
            await context.Sweeps.Where(s => s.Id == trial.SweepId).ExecuteDeleteAsync();

        await using var check = db.Contexts.CreateDbContext();
        Assert.Equal(0, await check.TrialLogLines.CountAsync());
    }
}

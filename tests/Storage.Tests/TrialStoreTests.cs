using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

public sealed class TrialStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Best_trial_is_chosen_by_the_metric_and_goal(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(5));
        // Trials 1-3 complete with these test totals and active units; 4 fails; 5 stays pending.
        await EndNextAsync(db, TrialOutcome.Completed(new FinalMetrics(170, 165, 5, 172, 1)));
        await EndNextAsync(db, TrialOutcome.Completed(new FinalMetrics(160, 155, 5, 162, 2)));
        await EndNextAsync(db, TrialOutcome.Completed(new FinalMetrics(165, 158, 7, 167, 2)));
        await EndNextAsync(db, TrialOutcome.Failed(FailureClass.Diverged, "diverged"));

        Assert.Equal(2, (await db.Trials.BestAsync(sweep.Id, TrialMetric.TestTotal, MetricGoal.Minimize))?.Number);
        Assert.Equal(1, (await db.Trials.BestAsync(sweep.Id, TrialMetric.TestTotal, MetricGoal.Maximize))?.Number);
        Assert.Equal(3, (await db.Trials.BestAsync(sweep.Id, TrialMetric.TestKl, MetricGoal.Maximize))?.Number);
        Assert.Equal(2, (await db.Trials.BestAsync(sweep.Id, TrialMetric.IwaeNll, MetricGoal.Minimize))?.Number);
        // A tie goes to the lower number.
        Assert.Equal(2, (await db.Trials.BestAsync(sweep.Id, TrialMetric.ActiveUnits, MetricGoal.Maximize))?.Number);
        Assert.Equal(2, (await db.Trials.BestAsync(sweep.Id, TrialMetric.TestRecon, MetricGoal.Minimize))?.Number);
    }

    [Theory, BothProviders]
    public async Task Best_trial_is_null_while_no_trial_has_the_metric(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        await EndNextAsync(db, TrialOutcome.Stopped());

        Assert.Null(await db.Trials.BestAsync(sweep.Id, TrialMetric.TestTotal, MetricGoal.Minimize));
    }

    [Theory, BothProviders]
    public async Task Listing_pages_through_the_trials_in_number_order(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(25));
        await db.Sweeps.CreateAsync(Samples.Sweep("other"), Samples.Trials(5));

        var pages = new List<TrialPage>();
        var query = new TrialQuery(sweep.Id) { Limit = 10 };
        do
        {
            pages.Add(await db.Trials.ListAsync(query));
            query = query with { AfterNumber = pages[^1].NextAfterNumber ?? 0 };
        }
        while (pages[^1].NextAfterNumber is not null);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Trials.Count));
        Assert.Equal([10, 20, null], pages.Select(p => p.NextAfterNumber));
        Assert.Equal(Enumerable.Range(1, 25), pages.SelectMany(p => p.Trials).Select(t => t.Number));
        Assert.All(pages.SelectMany(p => p.Trials), t => Assert.Equal(sweep.Id, t.SweepId));
    }

    [Theory, BothProviders]
    public async Task Listing_all_reads_past_the_largest_page(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(TrialQuery.MaxLimit + 2));
        await db.Sweeps.CreateAsync(Samples.Sweep("other"), Samples.Trials(3));

        var all = await db.Trials.ListAllAsync(sweep.Id);

        Assert.Equal(Enumerable.Range(1, TrialQuery.MaxLimit + 2), all.Select(t => t.Number));
        Assert.All(all, t => Assert.Equal(sweep.Id, t.SweepId));
    }

    [Theory, BothProviders]
    public async Task Listing_filters_by_status_and_worker(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(6));
        await db.Leases.LeaseNextAsync("worker-1", Minute);
        await db.Leases.LeaseNextAsync("worker-2", Minute);
        await EndNextAsync(db, TrialOutcome.Completed(Samples.Metrics(160)), "worker-1");

        var running = await db.Trials.ListAsync(new TrialQuery(sweep.Id) { Statuses = [TrialStatus.Running] });
        var open = await db.Trials.ListAsync(new TrialQuery(sweep.Id) { Statuses = [TrialStatus.Running, TrialStatus.Pending] });
        var byWorker = await db.Trials.ListAsync(new TrialQuery(sweep.Id) { Worker = "worker-1" });

        Assert.Equal([1, 2], running.Trials.Select(t => t.Number));
        Assert.Equal([1, 2, 4, 5, 6], open.Trials.Select(t => t.Number));
        Assert.Equal([1, 3], byWorker.Trials.Select(t => t.Number));
    }

    [Theory, BothProviders]
    public async Task Ending_a_trial_needs_its_current_version(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        var pending = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials[0];

        var cancelled = await db.Trials.EndAsync(pending.Id, pending.Version, TrialOutcome.Cancelled());
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Trials.EndAsync(pending.Id, pending.Version, TrialOutcome.Cancelled()));
        var final = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Trials.EndAsync(pending.Id, cancelled.Version, TrialOutcome.Failed(FailureClass.Error, "late")));

        Assert.Equal((TrialStatus.Cancelled, pending.Version + 1), (cancelled.Status, cancelled.Version));
        Assert.Equal(cancelled.Version, (await db.Trials.GetAsync(pending.Id))!.Version);
        Assert.Equal($"trial {pending.Id} changed since version {pending.Version}; read it again", stale.Message);
        Assert.Equal($"trial {pending.Id} is cancelled; it cannot become failed", final.Message);
    }

    [Theory, BothProviders]
    public async Task A_pending_trial_can_only_be_cancelled(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        var pending = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials[0];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Trials.EndAsync(pending.Id, pending.Version, TrialOutcome.Completed(Samples.Metrics(160))));

        Assert.Equal($"trial {pending.Id} is pending; it cannot become completed", error.Message);
        Assert.Equal(TrialStatus.Pending, (await db.Trials.GetAsync(pending.Id))!.Status);
    }

    [Theory, BothProviders]
    public async Task Of_two_racing_changes_at_one_version_exactly_one_wins(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        var trial = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;

        var attempts = new[] { TrialOutcome.Cancelled(), TrialOutcome.Completed(Samples.Metrics(160)) }
            .Select(outcome => Task.Run(() => db.Trials.EndAsync(trial.Id, trial.Version, outcome)))
            .ToList();
        var results = await Task.WhenAll(attempts.Select(async attempt =>
        {
            try
            {
                return (await attempt).Status;
            }
            catch (ConcurrencyConflictException)
            {
                return (TrialStatus?)null;
            }
        }));

        var winner = Assert.Single(results, status => status is not null);
        Assert.Equal(winner, (await db.Trials.GetAsync(trial.Id))!.Status);
        Assert.Equal(trial.Version + 1, (await db.Trials.GetAsync(trial.Id))!.Version);
    }

    private static async Task EndNextAsync(TestDatabase db, TrialOutcome outcome, string worker = "worker")
    {
        var trial = (await db.Leases.LeaseNextAsync(worker, Minute))!;
        await db.Leases.EndAsync(trial.Id, trial.LeaseId!.Value, outcome);
    }
}

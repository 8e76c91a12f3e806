using System.Security.Cryptography;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

/// <summary>The queries behind the dashboard: sorted trial pages, the sweep list's trial summaries, curves, checkpoint metadata.</summary>
public sealed class DashboardQueryTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Sorting_by_a_column_puts_nulls_last_in_either_order_and_breaks_ties_by_number(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await SeedAsync(db);

        Assert.Equal([1, 3, 2, 4, 5, 6], await NumbersAsync(db, new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.TestTotal, Descending = true }));
        Assert.Equal([2, 4, 3, 1, 5, 6], await NumbersAsync(db, new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.TestTotal }));
        // Started one minute apart, in number order; the pending trial never started.
        Assert.Equal([5, 4, 3, 2, 1, 6], await NumbersAsync(db, new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.StartedAt, Descending = true }));
        Assert.Equal([6, 5, 4, 3, 2, 1], await NumbersAsync(db, new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.Number, Descending = true }));
        Assert.Equal([2, 1, 3, 4, 5, 6], await NumbersAsync(db, new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.Worker }));
    }

    [Theory, BothProviders]
    public async Task A_sorted_page_starts_at_its_offset_and_counts_the_trials_of_the_filter(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await SeedAsync(db);

        var page = await db.Trials.ListSortedAsync(new TrialSortQuery(sweep.Id) { Column = TrialSortColumn.TestTotal, Descending = true, Offset = 2, Limit = 2 });
        var completed = await db.Trials.ListSortedAsync(new TrialSortQuery(sweep.Id) { Statuses = [TrialStatus.Completed], Column = TrialSortColumn.TestTotal, Offset = 3 });

        Assert.Equal([2, 4], page.Trials.Select(t => t.Number));
        Assert.Equal(6, page.Total);
        Assert.Equal([1], completed.Trials.Select(t => t.Number));
        Assert.Equal(4, completed.Total);
        Assert.Equal(4, await db.Trials.CountAsync(sweep.Id, [TrialStatus.Completed]));
    }

    [Theory, BothProviders]
    public async Task The_reads_behind_charts_and_config_sorting_take_only_the_sweeps_trials_asked_for(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await SeedAsync(db);
        var other = await db.Sweeps.CreateAsync(Samples.Sweep("other"), Samples.Trials(2));
        var all = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials;
        var stranger = (await db.Trials.ListAsync(new TrialQuery(other.Id))).Trials[0];

        var configs = await db.Trials.ListConfigsAsync(sweep.Id, [TrialStatus.Completed, TrialStatus.Pending]);
        var byIds = await db.Trials.ListByIdsAsync(sweep.Id, [all[5].Id, all[0].Id, stranger.Id]);
        var best = await db.Trials.BestOfAsync(sweep.Id, TrialMetric.TestTotal, MetricGoal.Minimize, 3);
        var finals = await db.Trials.ListWithFinalMetricsAsync(sweep.Id);

        Assert.Equal([(1, """{"beta":1,"model":"mlp"}"""), (2, """{"beta":2,"model":"mlp"}"""), (3, """{"beta":3,"model":"mlp"}"""), (4, """{"beta":4,"model":"mlp"}"""), (6, """{"beta":6,"model":"mlp"}""")],
            configs.Select(c => (c.Number, c.ConfigJson)));
        Assert.Equal(all[0].Id, configs[0].Id);
        Assert.Equal([1, 6], byIds.Select(t => t.Number));
        Assert.Equal([2, 4, 3], best.Select(t => t.Number));
        Assert.Equal([1, 2, 3, 4], finals.Select(t => t.Number));
    }

    [Theory, BothProviders]
    public async Task Listed_sweeps_are_summarized_in_one_query_with_counts_first_start_and_best_values(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var firstStart = db.Clock.GetUtcNow().UtcDateTime;
        var sweep = await SeedAsync(db);
        var empty = await db.Sweeps.CreateAsync(Samples.Sweep("empty"), []);

        var summaries = await db.Sweeps.SummarizeTrialsAsync([sweep.Id, empty.Id]);

        var summary = summaries[sweep.Id];
        Assert.Equal((4, 1, 1, 0), (summary.TrialsByStatus[TrialStatus.Completed], summary.TrialsByStatus[TrialStatus.Failed], summary.TrialsByStatus[TrialStatus.Pending], summary.TrialsByStatus[TrialStatus.Running]));
        Assert.Equal(firstStart, summary.FirstStartedAt);
        Assert.Equal(DateTimeKind.Utc, summary.FirstStartedAt!.Value.Kind);
        Assert.Equal((150.0, 170.0), (summary.Best(TrialMetric.TestTotal, MetricGoal.Minimize), summary.Best(TrialMetric.TestTotal, MetricGoal.Maximize)));
        Assert.Equal(2.0, summary.Best(TrialMetric.ActiveUnits, MetricGoal.Maximize));
        Assert.Equal((0, null, null), (summaries[empty.Id].TrialsByStatus.Values.Sum(), summaries[empty.Id].FirstStartedAt, summaries[empty.Id].Best(TrialMetric.TestTotal, MetricGoal.Minimize)));
    }

    [Theory, BothProviders]
    public async Task The_epochs_of_several_trials_come_from_one_read_by_trial_epoch_and_split(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        var first = (await db.Leases.LeaseNextAsync("worker", Minute))!;
        var second = (await db.Leases.LeaseNextAsync("worker", Minute))!;
        foreach (var (trial, epochs) in new[] { (first, 2), (second, 1) })
        {
            for (int epoch = 1; epoch <= epochs; epoch++)
                await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, epoch, [new SplitMetrics(MetricSplit.Train, 100, 5, 105, 1, 1), new SplitMetrics(MetricSplit.Test, 90, 5, 95, 1, 1)]);
        }
        var third = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials[2];

        var rows = await db.Metrics.ListAsync([first.Id, second.Id, third.Id]);

        Assert.Equal([(1, MetricSplit.Test), (1, MetricSplit.Train), (2, MetricSplit.Test), (2, MetricSplit.Train)], rows[first.Id].Select(r => (r.Epoch, r.Split)));
        Assert.Equal(2, rows[second.Id].Count);
        Assert.False(rows.ContainsKey(third.Id));
    }

    [Theory, BothProviders]
    public async Task The_latest_checkpoints_metadata_is_read_without_its_bytes(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 1, RandomNumberGenerator.GetBytes(100));
        var latest = await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 2, RandomNumberGenerator.GetBytes(300));

        var info = await db.Checkpoints.GetLatestInfoAsync(trial.Id);

        Assert.Equal((2, latest.Sha256, 300L), (info!.Epoch, info.Sha256, info.SizeBytes));
        Assert.Null(await db.Checkpoints.GetLatestInfoAsync(Guid.NewGuid()));
    }

    /// <summary>
    /// A sweep of six trials, leased a minute apart: 1-4 complete with test totals 170, 150, 160, 150 (by worker-b,
    /// worker-a, worker-c, worker-d), 5 fails (worker-e), 6 stays pending.
    /// </summary>
    private static async Task<SweepRecord> SeedAsync(TestDatabase db)
    {
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(6));
        foreach (var (total, worker) in new[] { (170.0, "worker-b"), (150.0, "worker-a"), (160.0, "worker-c"), (150.0, "worker-d") })
        {
            var trial = (await db.Leases.LeaseNextAsync(worker, Minute))!;
            await db.Leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(total)));
            db.Clock.Advance(Minute);
        }
        var failing = (await db.Leases.LeaseNextAsync("worker-e", Minute))!;
        await db.Leases.EndAsync(failing.Id, failing.LeaseId!.Value, TrialOutcome.Failed(FailureClass.Error, "boom"));
        return sweep;
    }

    private static async Task<List<int>> NumbersAsync(TestDatabase db, TrialSortQuery query) =>
        [.. (await db.Trials.ListSortedAsync(query)).Trials.Select(t => t.Number)];
}

using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Statistics;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

public sealed class ClusterStatisticsQueryTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task Counts_trials_by_status_per_sweep_with_the_queue_the_leases_and_the_checkpoint_bytes(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep("three"), Samples.Trials(3));
        var first = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        var second = (await db.Leases.LeaseNextAsync("worker-2", Minute))!;
        await db.Checkpoints.PutAsync(first.Id, first.LeaseId!.Value, 1, new byte[100]);
        await db.Checkpoints.PutAsync(first.Id, first.LeaseId!.Value, 2, new byte[50]);
        await db.Leases.EndAsync(second.Id, second.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(100)));
        var query = new ClusterStatisticsQuery(db.Contexts, db.Clock);

        var statistics = await query.ReadAsync(db.Clock.GetUtcNow().UtcDateTime, db.Clock.GetUtcNow().UtcDateTime);

        var counts = Assert.Single(statistics.Sweeps);
        Assert.Equal((sweep.Id, "three", 150L), (counts.SweepId, counts.Name, counts.CheckpointBytes));
        Assert.Equal(
            [(TrialStatus.Pending, 1), (TrialStatus.Running, 1), (TrialStatus.Completed, 1)],
            counts.Trials.OrderBy(pair => pair.Key).Select(pair => (pair.Key, pair.Value)));
        Assert.Equal((1, 1), (statistics.QueueDepth, statistics.ActiveLeases));
        Assert.Equal([second.Id], statistics.EndedTrials);
    }

    [Theory, BothProviders]
    public async Task Leaves_out_sweeps_finished_and_trials_ended_before_the_given_times_and_leases_that_ran_out(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep("done"), Samples.Trials(2));
        var ended = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await db.Leases.EndAsync(ended.Id, ended.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(100)));
        await db.Leases.LeaseNextAsync("worker-1", Minute);
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);
        var finished = db.Clock.GetUtcNow().UtcDateTime;
        db.Clock.Advance(TimeSpan.FromHours(2));
        var query = new ClusterStatisticsQuery(db.Contexts, db.Clock);

        var later = await query.ReadAsync(finished.AddMilliseconds(1), finished.AddMilliseconds(1));
        var within = await query.ReadAsync(finished, finished);

        Assert.Equal((0, 0, 0), (later.Sweeps.Count, later.EndedTrials.Count, later.ActiveLeases));
        Assert.Equal(sweep.Id, Assert.Single(within.Sweeps).SweepId);
        Assert.Contains(ended.Id, within.EndedTrials);
    }
}

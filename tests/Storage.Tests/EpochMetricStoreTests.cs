using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Metrics;

namespace SweepRunner.Storage.Tests;

public sealed class EpochMetricStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task Reported_epochs_are_listed_in_order_and_advance_the_trial(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Train(170), Test(171.4)]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 2, [Train(165), Test(166.2)]);

        var metrics = await db.Metrics.ListAsync(trial.Id);
        Assert.Equal([(1, MetricSplit.Test, 171.4), (1, MetricSplit.Train, 170.0), (2, MetricSplit.Test, 166.2), (2, MetricSplit.Train, 165.0)],
            metrics.Select(m => (m.Epoch, m.Split, m.Total)));
        Assert.Equal((166.2 - 4.8, 4.8, 12.5, 4800.0), (metrics[2].Recon, metrics[2].Kl, metrics[2].Seconds, metrics[2].SamplesPerSecond));
        Assert.Equal(2, (await db.Trials.GetAsync(trial.Id))!.CurrentEpoch);
    }

    [Theory, BothProviders]
    public async Task The_test_splits_kl_per_dimension_and_active_units_round_trip(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        double[] klPerDimension = [3.25, 1.0 / 3, 0.0012345678901234, 0];

        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Train(170), Test(171.4) with { KlPerDimension = klPerDimension, ActiveUnits = 2 }]);

        var metrics = await db.Metrics.ListAsync(trial.Id);
        Assert.Equal(MetricSplit.Test, metrics[0].Split);
        Assert.Equal(klPerDimension, metrics[0].KlPerDimension ?? []);
        Assert.Equal(2, metrics[0].ActiveUnits);
        Assert.Null(metrics[1].KlPerDimension);
        Assert.Null(metrics[1].ActiveUnits);
    }

    [Theory, BothProviders]
    public async Task A_replayed_epoch_report_replaces_the_latent_dimensions_too(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171.4) with { KlPerDimension = [2.5, 0.001], ActiveUnits = 1 }]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171.4) with { KlPerDimension = [2.5, 1.5], ActiveUnits = 2 }]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171.4) with { KlPerDimension = [2.5, 1.5], ActiveUnits = 2 }]);

        var row = Assert.Single(await db.Metrics.ListAsync(trial.Id));
        Assert.Equal([2.5, 1.5], row.KlPerDimension ?? []);
        Assert.Equal(2, row.ActiveUnits);
    }

    [Theory, BothProviders]
    public async Task A_replayed_epoch_report_replaces_its_row_instead_of_adding_one(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Train(170), Test(171.4)]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Train(170), Test(171.4)]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171.0)]);

        var metrics = await db.Metrics.ListAsync(trial.Id);
        Assert.Equal([(MetricSplit.Test, 171.0), (MetricSplit.Train, 170.0)], metrics.Select(m => (m.Split, m.Total)));
    }

    [Theory, BothProviders]
    public async Task Concurrent_replays_of_one_epoch_leave_one_row_per_split(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 3, [Train(150), Test(151)]))));

        Assert.Equal([(3, MetricSplit.Test), (3, MetricSplit.Train)], (await db.Metrics.ListAsync(trial.Id)).Select(m => (m.Epoch, m.Split)));
    }

    [Theory, BothProviders]
    public async Task A_late_report_of_an_earlier_epoch_does_not_move_the_trial_back(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 2, [Test(166)]);
        await db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171)]);

        Assert.Equal(2, (await db.Trials.GetAsync(trial.Id))!.CurrentEpoch);
        Assert.Equal([1, 2], (await db.Metrics.ListAsync(trial.Id)).Select(m => m.Epoch));
    }

    [Theory, BothProviders]
    public async Task A_report_under_a_lease_that_moved_on_is_refused_and_stores_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var lost = await db.CreateRunningTrialAsync();
        var current = await db.LeaseAgainAfterExpiryAsync(lost);

        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => db.Metrics.AppendAsync(lost.Id, lost.LeaseId!.Value, 1, [Train(170), Test(171.4)]));

        Assert.Equal($"trial {lost.Id}: lease {lost.LeaseId} is no longer held (expired, or the trial was cancelled)", refused.Message);
        Assert.Empty(await db.Metrics.ListAsync(lost.Id));
        Assert.Equal(0, (await db.Trials.GetAsync(lost.Id))!.CurrentEpoch);
        await db.Metrics.AppendAsync(current.Id, current.LeaseId!.Value, 1, [Test(171.4)]);
        Assert.Single(await db.Metrics.ListAsync(current.Id));
    }

    [Theory, BothProviders]
    public async Task Reports_for_a_missing_trial_or_with_bad_numbers_are_refused(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        var missing = Guid.NewGuid();

        var notFound = await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Metrics.AppendAsync(missing, Guid.NewGuid(), 1, [Test(171)]));
        var nan = await Assert.ThrowsAsync<ArgumentException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(double.NaN)]));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171), Test(172)]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 0, [Test(171)]));

        var nanKl = await Assert.ThrowsAsync<ArgumentException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171) with { KlPerDimension = [1, double.NaN], ActiveUnits = 1 }]));
        var alone = await Assert.ThrowsAsync<ArgumentException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171) with { KlPerDimension = [1, 2] }]));
        var tooMany = await Assert.ThrowsAsync<ArgumentException>(() => db.Metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [Test(171) with { KlPerDimension = [1, 2], ActiveUnits = 3 }]));

        Assert.Equal($"trial {missing} not found", notFound.Message);
        Assert.Contains("the test metrics are not all finite", nanKl.Message, StringComparison.Ordinal);
        Assert.Contains("the test metrics have the KL per latent dimension and the active units together, or neither", alone.Message, StringComparison.Ordinal);
        Assert.Contains("the test metrics have 3 active units of 2 latent dimensions", tooMany.Message, StringComparison.Ordinal);
        Assert.Contains("the test metrics are not all finite", nan.Message, StringComparison.Ordinal);
        Assert.Empty(await db.Metrics.ListAsync(trial.Id));
    }

    private static SplitMetrics Train(double total) => new(MetricSplit.Train, total - 4.8, 4.8, total, 30.0, 2000.0);

    private static SplitMetrics Test(double total) => new(MetricSplit.Test, total - 4.8, 4.8, total, 12.5, 4800.0);
}

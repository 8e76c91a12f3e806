using SweepRunner.Common;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Tests.Metrics;

public sealed class StoredEpochTests
{
    [Fact]
    public void The_last_epoch_with_both_splits_becomes_the_reported_result()
    {
        var trial = Guid.NewGuid();
        EpochMetricRecord[] rows =
        [
            Row(trial, 1, MetricSplit.Train, 200), Row(trial, 1, MetricSplit.Test, 210, [1, 2], 2),
            Row(trial, 2, MetricSplit.Train, 150), Row(trial, 2, MetricSplit.Test, 160, [3, 0.001], 1),
            Row(trial, 3, MetricSplit.Train, 120),
        ];

        var latest = StoredEpoch.Latest(trial, rows)!;

        Assert.Equal((trial, 2, 150.0, 160.0, 1, 4000.0), (latest.TrialId, latest.Epoch, latest.Train.Total, latest.Test.Total, latest.TestLatents!.ActiveUnits, latest.SamplesPerSecond));
        Assert.Equal([3, 0.001], latest.TestLatents.KlPerDimension);
        Assert.Null(StoredEpoch.Latest(trial, [Row(trial, 1, MetricSplit.Train, 200)]));
    }

    private static EpochMetricRecord Row(Guid trial, int epoch, MetricSplit split, double total, double[]? kl = null, int? active = null) => new()
    {
        TrialId = trial, Epoch = epoch, Split = split, Total = total, Recon = total - 10, Kl = 10,
        Seconds = split == MetricSplit.Train ? 2 : 0, SamplesPerSecond = split == MetricSplit.Train ? 4000 : 0, KlPerDimension = kl, ActiveUnits = active,
    };
}

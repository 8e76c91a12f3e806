using SweepRunner.Coordinator.Api;
using SweepRunner.Models.Training;
using SweepRunner.Storage;
using SplitMetrics = SweepRunner.Models.Training.SplitMetrics;

namespace SweepRunner.Cli.Reports;

/// <summary>One split's losses after one epoch, as the database and the API both keep them.</summary>
internal readonly record struct EpochRow(int Epoch, bool IsTest, SplitMetrics Losses, double Seconds, double SamplesPerSecond)
{
    public static EpochRow From(EpochMetricRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split == MetricSplit.Test, new SplitMetrics(row.Total, row.Recon, row.Kl), row.Seconds, row.SamplesPerSecond);
    }

    public static EpochRow From(EpochDocument row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split == ApiJson.Name(MetricSplit.Test), new SplitMetrics(row.Total, row.Recon, row.Kl), row.Seconds, row.SamplesPerSecond);
    }

    /// <summary>The rows paired into one report per epoch, oldest first; an epoch missing either split is left out.</summary>
    public static IReadOnlyList<EpochReport> Pair(IEnumerable<EpochRow> rows) =>
        [.. rows.GroupBy(row => row.Epoch)
            .OrderBy(epoch => epoch.Key)
            .Select(epoch => (Train: epoch.FirstOrDefault(r => !r.IsTest), Test: epoch.FirstOrDefault(r => r.IsTest), Epoch: epoch.Key))
            .Where(pair => pair.Train.Losses is not null && pair.Test.Losses is not null)
            .Select(pair => new EpochReport(pair.Epoch, pair.Train.Losses, pair.Test.Losses, pair.Train.Seconds, pair.Train.SamplesPerSecond))];
}

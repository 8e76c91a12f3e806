using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage.Records;

namespace SweepRunner.Reports;

/// <summary>One split's losses after one epoch, as the database and the API both keep them.</summary>
public readonly record struct EpochRow(int Epoch, bool IsTest, SplitLosses Losses, double Seconds, double SamplesPerSecond)
{
    public static EpochRow From(EpochMetricRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split == MetricSplit.Test, new SplitLosses(row.Total, row.Recon, row.Kl), row.Seconds, row.SamplesPerSecond);
    }

    /// <summary>The rows paired into one report per epoch, oldest first; an epoch missing either split is left out.</summary>
    public static IReadOnlyList<EpochReport> Pair(IEnumerable<EpochRow> rows) =>
        [.. rows.GroupBy(row => row.Epoch)
            .OrderBy(epoch => epoch.Key)
            .Select(epoch => (Train: epoch.FirstOrDefault(r => !r.IsTest), Test: epoch.FirstOrDefault(r => r.IsTest), Epoch: epoch.Key))
            .Where(pair => pair.Train.Losses is not null && pair.Test.Losses is not null)
            .Select(pair => new EpochReport(pair.Epoch, pair.Train.Losses, pair.Test.Losses, pair.Train.Seconds, pair.Train.SamplesPerSecond))];
}

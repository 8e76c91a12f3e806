using SweepRunner.Plotting;

namespace SweepRunner.Reports;

/// <summary>One split's losses after one epoch, as the database and the API both keep them.</summary>
public readonly record struct EpochRow(int Epoch, bool IsTest, SplitMetrics Losses, double Seconds, double SamplesPerSecond)
{
    /// <summary>The rows paired into one report per epoch, oldest first; an epoch missing either split is left out.</summary>
    public static IReadOnlyList<EpochReport> Pair(IEnumerable<EpochRow> rows) =>
        [.. rows.GroupBy(row => row.Epoch)
            .OrderBy(epoch => epoch.Key)
            .Select(epoch => (Train: epoch.FirstOrDefault(r => !r.IsTest), Test: epoch.FirstOrDefault(r => r.IsTest), Epoch: epoch.Key))
            .Where(pair => pair.Train.Losses is not null && pair.Test.Losses is not null)
            .Select(pair => new EpochReport(pair.Epoch, pair.Train.Losses, pair.Test.Losses, pair.Train.Seconds, pair.Train.SamplesPerSecond))];
}

using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Coordinator.Api;
using SweepRunner.Reports;

namespace SweepRunner.Cli.Remote;

/// <summary>The API's epoch rows as the report and the live table read them.</summary>
internal static class EpochDocuments
{
    public static EpochRow ToEpochRow(this EpochDocument row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split == MetricSplit.Test.LowerName(), new SplitLosses(row.Total, row.Recon, row.Kl), row.Seconds, row.SamplesPerSecond);
    }
}

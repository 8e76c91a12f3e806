using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>A trial's last stored epoch as the result its worker reported (no lease: it is read, not reported).</summary>
internal static class StoredEpoch
{
    /// <summary>The last epoch with both splits stored; null when there is none.</summary>
    public static EpochResult? Latest(Guid trialId, IReadOnlyList<EpochMetricRecord> rows)
    {
        var last = rows.GroupBy(row => row.Epoch)
            .Where(epoch => epoch.Any(row => row.Split == MetricSplit.Train) && epoch.Any(row => row.Split == MetricSplit.Test))
            .MaxBy(epoch => epoch.Key);
        if (last is null) return null;
        var train = last.First(row => row.Split == MetricSplit.Train);
        var test = last.First(row => row.Split == MetricSplit.Test);
        var latents = test is { KlPerDimension: { } kl, ActiveUnits: { } active } ? new EpochLatents(kl, active) : null;
        return new EpochResult(trialId, Guid.Empty, last.Key, Losses(train), Losses(test), latents, train.SamplesPerSecond);
    }

    private static EpochLosses Losses(EpochMetricRecord row) => new(row.Total, row.Recon, row.Kl);
}

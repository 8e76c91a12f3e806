using SweepRunner.Cli.Reports;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Reports;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Output;

/// <summary>A sweep of this process followed through its stores, as <c>sweep run</c> does.</summary>
internal sealed class StoredSweepFeed(SweepStore sweeps, TrialStore trials, EpochMetricStore epochs, Guid sweepId) : ISweepFeed
{
    public Task<SweepProgress> ReadAsync(CancellationToken cancellationToken) => SweepProgress.ReadAsync(sweeps, trials, epochs, sweepId, cancellationToken);

    public async Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken) =>
        EpochRow.Pair((await epochs.ListAsync(trialId, cancellationToken)).Select(EpochRow.From));
}

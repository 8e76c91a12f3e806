using SweepRunner.Cli.Reports;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Reports;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Output;

/// <summary>
/// A sweep of this process followed through its SQLite store, as <c>sweep run</c> does. It reads the sweep again only
/// after a commit to the store (<see cref="SqliteCommitWatch"/>): most intervals of a training epoch write nothing,
/// and reading the sweep and its trials through EF Core every tenth of a second took about a second of CPU in a 15 s
/// sweep, on cores the training slots need.
/// </summary>
internal sealed class StoredSweepFeed(SweepStore sweeps, TrialStore trials, EpochMetricStore epochs, SqliteCommitWatch commits, Guid sweepId) : ISweepFeed
{
    public Task<SweepProgress> ReadAsync(CancellationToken cancellationToken) => SweepProgress.ReadAsync(sweeps, trials, epochs, sweepId, cancellationToken);

    public async Task WaitForChangeAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        do await Task.Delay(interval, cancellationToken);
        while (!commits.Changed());
    }

    public async Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken) =>
        EpochRow.Pair((await epochs.ListAsync(trialId, cancellationToken)).Select(EpochRow.From));
}

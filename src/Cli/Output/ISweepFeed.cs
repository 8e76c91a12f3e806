using SweepRunner.Models.Training;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Output;

/// <summary>Where a followed sweep's state comes from: the stores of this process (<c>sweep run</c>) or the coordinator's API (<c>sweep watch</c>).</summary>
internal interface ISweepFeed
{
    /// <summary>The sweep and its trials as they are now.</summary>
    Task<SweepProgress> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns when the sweep may have changed since the last read, <paramref name="interval"/> after the call at the
    /// earliest: a feed that cannot tell returns after <paramref name="interval"/>; one that can waits on, a further
    /// <paramref name="interval"/> at a time, until something was written.
    /// </summary>
    Task WaitForChangeAsync(TimeSpan interval, CancellationToken cancellationToken);

    /// <summary>The trial's losses after each epoch it has finished, oldest first.</summary>
    Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken);
}

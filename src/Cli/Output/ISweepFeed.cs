using SweepRunner.Models.Training;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Output;

/// <summary>Where a followed sweep's state comes from: the stores of this process (<c>sweep run</c>) or the coordinator's API (<c>sweep watch</c>).</summary>
internal interface ISweepFeed
{
    /// <summary>The sweep and its trials as they are now.</summary>
    Task<SweepProgress> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The trial's losses after each epoch it has finished, oldest first.</summary>
    Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken);
}

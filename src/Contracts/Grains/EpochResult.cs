using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Grains;

/// <summary>
/// A trial's losses after <see cref="Epoch"/>, its test split's latent dimensions (null from a trainer that does not
/// measure them) and its training throughput, reported under its lease once they are stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.epoch-result")]
public sealed record EpochResult(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid LeaseId,
    [property: Id(2)] int Epoch,
    [property: Id(3)] EpochLosses Train,
    [property: Id(4)] EpochLosses Test,
    [property: Id(5)] EpochLatents? TestLatents = null,
    [property: Id(6)] double SamplesPerSecond = 0)
{
    /// <summary>
    /// The value of a per-epoch metric (<see cref="MetricNames"/>); null for iwae_nll, known only at the end, and for
    /// active_units, which ranks trials by its end-of-run value even though <see cref="TestLatents"/> carries it per epoch.
    /// </summary>
    public double? Metric(string name) =>
        MetricNames.SourceOf(name)?.Epoch is { } loss ? (loss.Split == MetricSplit.Test ? Test : Train).Of(loss.Term) : null;
}

using System.Numerics;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// How many training slots <c>sweep run</c> starts when <c>--workers</c> is not given: one per core (each then trains
/// on one libtorch thread), but no more than the sweep has trials to keep busy, and at most <see cref="MaxDefault"/>.
/// </summary>
/// <remarks>
/// A batch of 128 is too small for libtorch to share one step's operations among threads without losing much of their
/// time to handing work out and waiting: two trials on one thread each finish sooner than the same two one after the
/// other on two threads (docs/benchmarks.md, "Slots").
/// </remarks>
internal static class RunSlots
{
    /// <summary>Each slot holds its model, optimizer and a batch's activations (a few hundred MB for the CNNs).</summary>
    public const int MaxDefault = 8;

    public static int Default(SweepSpec spec, int cores)
    {
        BigInteger trials = spec.Method == SearchMethodKind.Grid ? GridSearch.Count(spec.Parameters) : MaxDefault;
        if (spec.RunCap is { } cap) trials = BigInteger.Min(trials, cap);
        if (spec.WorkersHint is { } hint) trials = BigInteger.Min(trials, hint);
        return (int)BigInteger.Max(1, BigInteger.Min(BigInteger.Min(trials, cores), MaxDefault));
    }
}

using System.Numerics;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// How many training slots <c>sweep run</c> starts when <c>--workers</c> is not given: one per core (each then trains
/// on one libtorch thread), but no more than the sweep has trials to keep busy, and at most <see cref="MaxDefault"/>.
/// A grid that packs (<c>packing: auto</c>) keeps a slot busy per packed group, not per trial: its trials of one
/// <see cref="TrialPacking.KeyOf"/>, in groups of at most <see cref="WorkerOptions.MaxPackedTrials"/>.
/// </summary>
/// <remarks>
/// A batch of 128 is too small for libtorch to share one step's operations among threads without losing much of their
/// time to handing work out and waiting: two trials on one thread each finish sooner than the same two one after the
/// other on two threads (docs/benchmarks.md, "Slots"). A packed group is a batch K times as wide, which does share
/// well: the cores a group's slot does not take are its threads.
/// </remarks>
internal static class RunSlots
{
    /// <summary>Each slot holds its model, optimizer and a batch's activations (a few hundred MB for the CNNs).</summary>
    public const int MaxDefault = 8;

    public static int Default(SweepSpec spec, int cores, int maxPackedTrials = WorkerOptions.DefaultMaxPackedTrials)
    {
        BigInteger trials = spec.Method != SearchMethodKind.Grid ? MaxDefault
            : spec.Packing == PackingMode.Auto ? PackedGroups(spec, maxPackedTrials)
            : GridSearch.Count(spec.Parameters);
        if (spec.RunCap is { } cap) trials = BigInteger.Min(trials, cap);
        if (spec.WorkersHint is { } hint) trials = BigInteger.Min(trials, hint);
        return (int)BigInteger.Max(1, BigInteger.Min(BigInteger.Min(trials, cores), MaxDefault));
    }

    /// <summary>The groups slots lease of the grid's trials (its run cap applied): a trial that does not pack is a group alone.</summary>
    private static int PackedGroups(SweepSpec spec, int maxPackedTrials)
    {
        var keys = new GridSearch(spec).ExpandAll().Select(TrialPacking.KeyOf).ToList();
        return keys.Count(key => key is null)
            + keys.OfType<string>().CountBy(key => key).Sum(group => (group.Value + maxPackedTrials - 1) / maxPackedTrials);
    }
}

using System.Numerics;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// How <c>sweep run</c> lays a sweep out on the cores: the training slots it starts when <c>--workers</c> is not given,
/// one per core (each then trains on one libtorch thread) but no more than the sweep has trials to keep busy and at
/// most <see cref="MaxDefault"/>; and, for a sweep that packs (<c>packing: auto</c>), how many trials a slot packs
/// together, so that the trials are spread over all the slots rather than packed into fewer of them.
/// </summary>
/// <remarks>
/// A batch of 128 is too small for libtorch to share one step's operations among threads without losing much of their
/// time to handing work out and waiting: two trials on one thread each finish sooner than the same two one after the
/// other on two threads (docs/benchmarks.md, "Slots"). The same holds for a packed group: a 4-β grid on 2 cores took
/// 33–37 s packed in one slot of 2 threads, and 25–26 s both as two groups of two in two slots of one thread and as
/// four trials alone in those slots (docs/benchmarks.md, "Trial packing").
/// </remarks>
internal static class RunSlots
{
    /// <summary>Each slot holds its model, optimizer and a batch's activations (a few hundred MB for the CNNs).</summary>
    public const int MaxDefault = 8;

    public static int Default(SweepSpec spec, int cores)
    {
        var trials = Trials(spec, unbounded: MaxDefault);
        if (spec.WorkersHint is { } hint) trials = BigInteger.Min(trials, hint);
        return (int)BigInteger.Max(1, BigInteger.Min(BigInteger.Min(trials, cores), MaxDefault));
    }

    /// <summary>
    /// The most trials one of <paramref name="slots"/> slots packs together: the sweep's trials shared out over the
    /// slots, at most <see cref="WorkerOptions.DefaultMaxPackedTrials"/>; 1 when the sweep does not pack.
    /// </summary>
    public static int PackedGroupSize(SweepSpec spec, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        if (spec.Packing != PackingMode.Auto) return 1;
        var trials = Trials(spec, unbounded: WorkerOptions.DefaultMaxPackedTrials * slots);
        return (int)BigInteger.Max(1, BigInteger.Min((trials + slots - 1) / slots, WorkerOptions.DefaultMaxPackedTrials));
    }

    /// <summary>The trials the sweep will run (a grid's, its run cap applied); <paramref name="unbounded"/> for a search without a cap.</summary>
    private static BigInteger Trials(SweepSpec spec, int unbounded)
    {
        BigInteger trials = spec.Method == SearchMethodKind.Grid ? GridSearch.Count(spec.Parameters) : unbounded;
        if (spec.RunCap is { } cap) trials = BigInteger.Min(trials, cap);
        return trials;
    }
}

namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// A search that proposes one trial at a time from a seeded draw. The draw for the n-th proposal is seeded by
/// (seed, n) alone, so a proposal depends only on the seed and the history, never on earlier calls in this process.
/// </summary>
public abstract class SequentialSearch : ISearchMethod
{
    /// <summary>Draws in a row that may all repeat earlier configs before the search counts the space as exhausted.</summary>
    public const int MaxDraws = 1000;

    private readonly int seed;

    private protected SequentialSearch(SweepSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        this.seed = seed;
    }

    private protected SweepSpec Spec { get; }

    public IReadOnlyList<TrialConfig>? ExpandAll() => null;

    public TrialConfig? Suggest(IReadOnlyList<ProposedTrial> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (Spec.RunCap is { } cap && history.Count >= cap) return null;

        var proposed = history.Select(trial => trial.Config.Hash).ToHashSet(StringComparer.Ordinal);
        var random = new Random(DeriveSeed(seed, history.Count));
        var draw = CreateSampler(history);
        for (int attempt = 0; attempt < MaxDraws; attempt++)
        {
            var config = Spec.CreateTrial(draw(random));
            if (!proposed.Contains(config.Hash)) return config;
        }

        return null;
    }

    /// <summary>Draws of one set of parameter values, given the history (fitted once per proposal).</summary>
    private protected abstract Func<Random, IEnumerable<KeyValuePair<string, ParameterValue>>> CreateSampler(IReadOnlyList<ProposedTrial> history);

    private protected IEnumerable<KeyValuePair<string, ParameterValue>> DrawFromPriors(Random random) =>
        Spec.Parameters.Select(parameter => new KeyValuePair<string, ParameterValue>(parameter.Name, parameter.Domain.Sample(random))).ToList();

    // One SplitMix64 step: nearby (seed, n) pairs give unrelated seeds, the same on every platform and run.
    private static int DeriveSeed(int seed, int proposal)
    {
        ulong z = (((ulong)(uint)seed << 32) | (uint)proposal) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}

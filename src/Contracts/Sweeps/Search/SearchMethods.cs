namespace SweepRunner.Contracts.Sweeps.Search;

public static class SearchMethods
{
    /// <summary>The search a spec's <c>method</c> names; <paramref name="seed"/> (kept with the sweep) seeds random and bayes.</summary>
    public static ISearchMethod For(SweepSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Method switch
        {
            SearchMethodKind.Grid => new GridSearch(spec),
            SearchMethodKind.Random => new RandomSearch(spec, seed),
            _ => new TpeSearch(spec, seed),
        };
    }
}

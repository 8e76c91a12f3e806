namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>W&amp;B's <c>method: random</c>: every parameter drawn independently from its domain, seeded.</summary>
public sealed class RandomSearch(SweepSpec spec, int seed) : SequentialSearch(spec, seed)
{
    private protected override Func<Random, IEnumerable<KeyValuePair<string, ParameterValue>>> CreateSampler(IReadOnlyList<ProposedTrial> history) =>
        DrawFromPriors;
}

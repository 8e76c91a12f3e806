namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// Proposes the trials of a sweep. Deterministic: the same spec, seed and history give the same proposal, so a
/// coordinator that keeps only the history can resume; no proposal repeats a config of the history (by hash), and
/// none is made once <see cref="SweepSpec.RunCap"/> trials have been proposed.
/// </summary>
public interface ISearchMethod
{
    /// <summary>Every trial, in order, for a method that knows them all up front (grid); null for random and bayes.</summary>
    IReadOnlyList<TrialConfig>? ExpandAll();

    /// <summary>The next trial, given every trial proposed so far in proposal order; null when the sweep has no more.</summary>
    TrialConfig? Suggest(IReadOnlyList<ProposedTrial> history);
}

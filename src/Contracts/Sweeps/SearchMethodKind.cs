namespace SweepRunner.Contracts.Sweeps;

/// <summary>W&amp;B's <c>method</c>: every combination, independent draws, or a model of the finished trials (TPE here).</summary>
public enum SearchMethodKind
{
    Grid,
    Random,
    Bayes,
}

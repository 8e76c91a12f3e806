using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>A sweep file that parsed: its spec, the name and metric the sweep gets, and how many trials it runs.</summary>
public sealed record CheckedSweep(SweepSpec Spec, string Name, MetricSpec Metric)
{
    /// <summary>
    /// How many trials the sweep runs: a grid's expansion (run cap applied, configs of one hash once, as the store
    /// keeps them); the run cap of random and bayes, null when they have none.
    /// </summary>
    public int? TrialCount => SearchMethods.For(Spec, seed: 0).ExpandAll() is { } grid
        ? grid.DistinctBy(config => config.Hash, StringComparer.Ordinal).Count()
        : Spec.RunCap;
}

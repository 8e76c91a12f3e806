namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>A trial the search has proposed: its config and, once it finished, its final metric (null while running or if it failed).</summary>
public sealed record ProposedTrial(TrialConfig Config, double? Metric = null);

using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps.Search;

/// <summary>Drives a search as a coordinator would, each proposed trial finishing at once.</summary>
internal static class SearchRun
{
    /// <summary>Proposals until the search has no more or <paramref name="count"/> were made; <paramref name="metric"/> (null: the trial failed) gives each result.</summary>
    public static List<ProposedTrial> Propose(ISearchMethod search, Func<TrialConfig, double?> metric, int count = int.MaxValue)
    {
        var history = new List<ProposedTrial>();
        while (history.Count < count && search.Suggest(history) is { } config)
        {
            history.Add(new ProposedTrial(config, metric(config)));
        }

        return history;
    }

    public static List<ProposedTrial> Propose(ISearchMethod search, int count = int.MaxValue) => Propose(search, _ => null, count);
}

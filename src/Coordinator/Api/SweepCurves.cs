using SweepRunner.Common;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// The trials whose loss curves the dashboard draws: all of a sweep of at most <c>top</c> trials; otherwise the
/// <c>top</c> best by the sweep's metric among those that have it, then running trials up to <c>top</c>; and every trial
/// the user named. Best first (then running, then the rest, each by number). Their epochs are read in one query.
/// </summary>
internal static class SweepCurves
{
    public const int DefaultTop = 20;

    public const int MaxTop = 200;

    public const int MaxNamed = 50;

    /// <summary>The curves; or, when one of <paramref name="named"/> is no trial of the sweep, no curves and that id.</summary>
    public static async Task<(SweepCurvesDocument? Curves, Guid? Stranger)> ReadAsync(
        SweepRecord sweep, int top, IReadOnlyCollection<Guid> named, TrialStore trials, EpochMetricStore epochs, CancellationToken cancellationToken)
    {
        var metric = RankingMetric.OfSweep(sweep);
        var chosen = new List<TrialRecord>();
        if (sweep.TrialCount <= top)
        {
            chosen.AddRange(await trials.ListAllAsync(sweep.Id, cancellationToken));
        }
        else
        {
            chosen.AddRange(await trials.BestOfAsync(sweep.Id, metric, sweep.MetricGoal, top, cancellationToken));
            if (chosen.Count < top)
                chosen.AddRange((await trials.ListAsync(new TrialQuery(sweep.Id) { Statuses = [TrialStatus.Running], Limit = top - chosen.Count }, cancellationToken)).Trials);
        }
        if (named.Count > 0)
        {
            var found = await trials.ListByIdsAsync(sweep.Id, named, cancellationToken);
            var stranger = named.Where(id => found.All(trial => trial.Id != id)).Select(id => (Guid?)id).FirstOrDefault();
            if (stranger is not null) return (null, stranger);
            chosen.AddRange(found);
        }

        var shown = BestFirst(chosen.DistinctBy(trial => trial.Id), metric, sweep.MetricGoal);
        var rows = await epochs.ListAsync([.. shown.Select(trial => trial.Id)], cancellationToken);
        return (new SweepCurvesDocument([.. shown.Select(trial => TrialCurveDocument.From(trial, rows.GetValueOrDefault(trial.Id) ?? []))]), null);
    }

    private static List<TrialRecord> BestFirst(IEnumerable<TrialRecord> trials, TrialMetric metric, MetricGoal goal)
    {
        double? ValueOf(TrialRecord trial) => SweepMetric.FinalOf(trial)?.Value(metric);
        return [.. trials
            .OrderBy(trial => ValueOf(trial) is not null ? 0 : trial.Status == TrialStatus.Running ? 1 : 2)
            .ThenBy(trial => ValueOf(trial) is { } value ? (goal == MetricGoal.Minimize ? value : -value) : 0)
            .ThenBy(trial => trial.Number)];
    }
}

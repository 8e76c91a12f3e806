using System.Globalization;
using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.EarlyStopping;

/// <summary>
/// W&amp;B's <c>early_terminate: {type: hyperband}</c>. At each milestone epoch (its bracket) a trial goes on only if its
/// best metric so far is within the best 1/η of the values all trials that reached the milestone had there: it is
/// compared with their 1/η-quantile. By default only the latest milestone a trial has reached is checked; with
/// <see cref="Strict"/> every one is, so a trial can still be stopped at an early milestone when better trials arrive.
/// </summary>
public sealed class HyperbandStopper : EarlyStopper
{
    private HyperbandStopper(IReadOnlyList<int> milestones, double eta, bool strict)
    {
        Milestones = milestones;
        Eta = eta;
        Strict = strict;
    }

    /// <summary>A stopper with these milestones (ascending epochs ≥ 1) and η (&gt; 1), as <see cref="SweepSpecJson"/> stores it; checked by the caller.</summary>
    internal static HyperbandStopper FromMilestones(IReadOnlyList<int> milestones, double eta, bool strict) => new(milestones, eta, strict);

    /// <summary>Epochs at which trials are compared, ascending.</summary>
    public IReadOnlyList<int> Milestones { get; }

    public double Eta { get; }

    public bool Strict { get; }

    /// <summary>
    /// W&amp;B's <c>min_iter</c> form: milestones ⌊min_iter·ηᵏ⌋ for k = 0 … s−1, or, without s, every one that fits in an int.
    /// </summary>
    public static HyperbandStopper FromMinIter(int minIter, double eta, int? brackets, bool strict)
    {
        var milestones = new List<int>();
        double milestone = minIter;
        for (int k = 0; milestone <= int.MaxValue && (brackets is null || k < brackets); k++, milestone *= eta)
        {
            int epoch = (int)Math.Floor(milestone);
            if (milestones.Count == 0 || epoch > milestones[^1]) milestones.Add(epoch);
        }

        return new HyperbandStopper(milestones, eta, strict);
    }

    /// <summary>W&amp;B's <c>max_iter</c> form: max_iter/η, max_iter/η², … (s of them, those ≥ 1), floored and ascending; may be empty.</summary>
    public static HyperbandStopper FromMaxIter(int maxIter, double eta, int brackets, bool strict)
    {
        var milestones = new SortedSet<int>();
        double milestone = maxIter;
        for (int k = 0; k < brackets && (milestone /= eta) >= 1; k++)
        {
            milestones.Add((int)Math.Floor(milestone));
        }

        return new HyperbandStopper([.. milestones], eta, strict);
    }

    public override StopDecision Decide(MetricCurve trial, IReadOnlyList<MetricCurve> others, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(others);
        var reached = Milestones.Where(milestone => milestone <= trial.Epochs).ToList();
        if (reached.Count == 0) return StopDecision.Continue("no milestone reached yet");

        foreach (int milestone in Strict ? reached : reached.TakeLast(1))
        {
            double cost = trial.BestCost(milestone, goal);
            var there = others.Where(other => other.Epochs >= milestone).Select(other => other.BestCost(milestone, goal)).Append(cost).ToList();
            double threshold = Quantile(there, 1 / Eta);
            if (cost > threshold)
            {
                return StopDecision.Stop(
                    $"at milestone epoch {milestone} its best {Format(goal.Cost(cost))} is not within the best 1/{Format(Eta)} of the {there.Count} trials there (threshold {Format(goal.Cost(threshold))})");
            }
        }

        return StopDecision.Continue($"within the best 1/{Format(Eta)} at milestone epoch {reached[^1]}");
    }

    public override string Describe()
    {
        const int Shown = 6;
        var epochs = string.Join(", ", Milestones.Take(Shown).Select(epoch => epoch.ToString(CultureInfo.InvariantCulture)));
        return $"hyperband: eta {Format(Eta)}, milestones at epochs {epochs}{(Milestones.Count > Shown ? ", …" : "")}{(Strict ? ", strict" : "")}";
    }
}

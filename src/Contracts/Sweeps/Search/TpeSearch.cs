using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// <c>method: bayes</c> as a Tree-structured Parzen Estimator, the default sampler of Optuna: random draws until
/// <see cref="StartupTrials"/> trials have a metric; then the finished trials split into the best γ(n) = min(⌈n/10⌉, 25)
/// and the rest, each parameter gets a Parzen estimator l(x) over the best and g(x) over the rest, and of
/// <see cref="Candidates"/> draws from l the one with the largest l(x)/g(x) is proposed. Parameters are modelled
/// independently (Optuna's univariate default).
/// </summary>
public sealed class TpeSearch(SweepSpec spec, int seed) : SequentialSearch(spec, seed)
{
    public const int StartupTrials = 10;
    public const int Candidates = 24;

    private const int MaxBelow = 25;

    private protected override Func<Random, IEnumerable<KeyValuePair<string, ParameterValue>>> CreateSampler(IReadOnlyList<ProposedTrial> history)
    {
        var goal = Spec.Metric?.Goal ?? throw new InvalidOperationException("a bayes sweep needs a metric");
        var finished = history.Where(trial => trial.Metric is { } metric && double.IsFinite(metric)).ToList();
        if (finished.Count < StartupTrials) return DrawFromPriors;

        int belowCount = Math.Min((int)Math.Ceiling(0.1 * finished.Count), MaxBelow);
        var best = finished.OrderBy(trial => goal.Cost(trial.Metric!.Value)).Take(belowCount).ToHashSet();
        // History order is kept within each group: Optuna weighs older observations less.
        var below = finished.Where(best.Contains).Select(trial => trial.Config).ToList();
        var above = finished.Where(trial => !best.Contains(trial)).Select(trial => trial.Config).ToList();
        var samplers = Spec.Parameters.Select(parameter => ParameterSampler(parameter, below, above)).ToList();
        return random => samplers.Select(sample => sample(random)).ToList();
    }

    private static Func<Random, KeyValuePair<string, ParameterValue>> ParameterSampler(SweepParameter parameter, List<TrialConfig> below, List<TrialConfig> above)
    {
        string name = parameter.Name;
        switch (parameter.Domain)
        {
            case CategoricalDomain categorical:
            {
                var prior = categorical.Probabilities ?? [.. Enumerable.Repeat(1.0 / categorical.Values.Count, categorical.Values.Count)];
                var index = categorical.Values.Select((value, i) => (value, i)).ToDictionary(pair => pair.value, pair => pair.i);
                List<int> Observed(List<TrialConfig> configs) =>
                    [.. configs.Select(config => config.TryGetValue(name, out var value) && index.TryGetValue(value, out int i) ? i : -1).Where(i => i >= 0)];
                var good = new CategoricalParzenEstimator(Observed(below), prior);
                var bad = new CategoricalParzenEstimator(Observed(above), prior);
                return random => new(name, categorical.Values[BestCandidate(good, bad, random)]);
            }

            case DistributionDomain numeric:
            {
                var distribution = numeric.Distribution;
                List<double> Observed(List<TrialConfig> configs) =>
                    [.. configs.Select(config => config.TryGetValue(name, out var value) ? value.AsNumber : null).OfType<double>().Select(distribution.ToSearchSpace)];
                var good = new ParzenEstimator(Observed(below), distribution.SearchSpace);
                var bad = new ParzenEstimator(Observed(above), distribution.SearchSpace);
                return random => new(name, numeric.ToValue(distribution.FromSearchSpace(BestCandidate(good, bad, random))));
            }

            default:
                return random => new(name, parameter.Domain.Sample(random));
        }
    }

    private static T BestCandidate<T>(IParzenEstimator<T> below, IParzenEstimator<T> above, Random random)
    {
        var best = below.Sample(random);
        double bestScore = below.LogDensity(best) - above.LogDensity(best);
        for (int i = 1; i < Candidates; i++)
        {
            var candidate = below.Sample(random);
            double score = below.LogDensity(candidate) - above.LogDensity(candidate);
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }

        return best;
    }
}

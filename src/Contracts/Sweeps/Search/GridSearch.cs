using System.Numerics;

namespace SweepRunner.Contracts.Sweeps.Search;

/// <summary>
/// The cartesian product of the parameters' values, in declaration order with the last parameter varying fastest
/// (as nested loops, or Python's itertools.product); with a run cap, its first <see cref="SweepSpec.RunCap"/> configs.
/// </summary>
public sealed class GridSearch : ISearchMethod
{
    /// <summary>Most trials a grid may have.</summary>
    public const int MaxTrials = 10_000;

    private readonly IReadOnlyList<TrialConfig> trials;

    public GridSearch(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var choices = spec.Parameters.Select(parameter => (parameter.Name, Values: ValuesOf(parameter.Domain))).ToList();
        var count = Count(spec.Parameters);
        if (count > MaxTrials) throw new ArgumentException($"the grid has {count} trials, over {MaxTrials}", nameof(spec));
        trials = [.. Product(choices, 0, []).Take(spec.RunCap ?? int.MaxValue).Select(spec.CreateTrial)];
    }

    /// <summary>How many configs the full grid has (no run cap); each parameter must be a constant or categorical.</summary>
    public static BigInteger Count(IEnumerable<SweepParameter> parameters) =>
        parameters.Aggregate(BigInteger.One, (product, parameter) => product * ValuesOf(parameter.Domain).Count);

    public IReadOnlyList<TrialConfig> ExpandAll() => trials;

    public TrialConfig? Suggest(IReadOnlyList<ProposedTrial> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var proposed = history.Select(trial => trial.Config.Hash).ToHashSet(StringComparer.Ordinal);
        return trials.FirstOrDefault(trial => !proposed.Contains(trial.Hash));
    }

    private static IReadOnlyList<ParameterValue> ValuesOf(ParameterDomain domain) => domain switch
    {
        ConstantDomain constant => [constant.Value],
        CategoricalDomain categorical => categorical.Values,
        _ => throw new ArgumentException($"a grid takes only `value` and `values`, not {domain.Describe()}", nameof(domain)),
    };

    private static IEnumerable<KeyValuePair<string, ParameterValue>[]> Product(
        List<(string Name, IReadOnlyList<ParameterValue> Values)> choices, int index, KeyValuePair<string, ParameterValue>[] prefix)
    {
        if (index == choices.Count)
        {
            yield return prefix;
            yield break;
        }

        foreach (var value in choices[index].Values)
        {
            foreach (var config in Product(choices, index + 1, [.. prefix, new(choices[index].Name, value)]))
            {
                yield return config;
            }
        }
    }
}

using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Reports;

/// <summary>
/// The parameters a sweep varies (their values differ between its trials) and those it fixes: a trial is told
/// apart by the first, the second are said once above the table.
/// </summary>
internal sealed class SweptKeys
{
    public SweptKeys(IReadOnlyList<TrialConfig> configs)
    {
        var keys = configs.SelectMany(c => c.Values.Select(pair => pair.Key)).Distinct().ToList();
        Swept = [.. keys.Where(key => configs.Select(c => c.TryGetValue(key, out var value) ? value.ToString() : null).Distinct().Count() > 1)];
        Fixed = configs.Count == 0
            ? []
            : [.. configs[0].Values.Where(pair => !Swept.Contains(pair.Key) && configs.All(c => c.TryGetValue(pair.Key, out _)))];
    }

    /// <summary>Varied parameters, in the order the sweep declares them.</summary>
    public IReadOnlyList<string> Swept { get; }

    /// <summary>Parameters every trial has with the same value.</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Fixed { get; }

    /// <summary>The swept values of <paramref name="config"/> but <paramref name="except"/>: <c>beta=4.0 model=cnn</c>.</summary>
    public string Describe(TrialConfig config, params string[] except)
    {
        ArgumentNullException.ThrowIfNull(config);
        var parts = Swept.Where(key => !except.Contains(key) && config.TryGetValue(key, out _)).Select(key => $"{key}={config[key]}").ToList();
        return parts.Count == 0 ? "(all trials alike)" : string.Join(' ', parts);
    }
}

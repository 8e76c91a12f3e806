using SweepRunner.Contracts.Parameters;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// Reads W&amp;B's <c>parameters</c>: each parameter's form (<c>value</c>, <c>values</c>, <c>distribution</c>, or
/// <c>min</c>/<c>max</c> alone), checked against what the trainer takes for it; nested <c>parameters</c> flatten to
/// dotted names. A parameter's <c>requires</c> maps some of its listed values to the worker tags their trials need.
/// </summary>
internal sealed class ParametersReader(NodeReader reader, IReadOnlySet<string> freeForm, bool grid)
{
    private const string Constant = "constant";
    private const string Categorical = "categorical";
    private const double ProbabilityTolerance = 1e-6;

    private static readonly string[] ParameterKeys = ["value", "values", "distribution", "min", "max", "mu", "sigma", "q", "probabilities", "parameters", "requires"];

    // W&B distributions left out, with what to write instead.
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["log_uniform"] = "W&B's log_uniform takes min/max as natural logs; write log_uniform_values with the values themselves",
        ["q_log_uniform"] = "W&B's q_log_uniform takes min/max as natural logs; write q_log_uniform_values with the values themselves",
        ["inv_log_uniform"] = "W&B's inv_log_uniform takes min/max as natural logs; write inv_log_uniform_values with the values themselves",
        ["q_log_normal"] = "not supported; write log_normal, or q_log_uniform_values for quantized positive values",
        ["beta"] = "the beta distribution is not supported; write uniform or log_uniform_values",
        ["q_beta"] = "the beta distribution is not supported; write q_uniform",
    };

    private static readonly string[] Forms = [Constant, Categorical, .. NumericDistribution.KnownNames];

    public List<SweepParameter> Read(SpecNode node, string path)
    {
        var parameters = new List<SweepParameter>();
        if (reader.Mapping(node, path) is { } group) ReadGroup(group, path, "", parameters);
        return parameters;
    }

    private static (string[] Required, string[] Optional) KeysOf(string form) => form switch
    {
        Constant => (["value"], []),
        Categorical => (["values"], ["probabilities"]),
        "q_uniform" or "q_log_uniform_values" => (["min", "max"], ["q"]),
        "normal" or "log_normal" => ([], ["mu", "sigma"]),
        "q_normal" => ([], ["mu", "sigma", "q"]),
        _ => (["min", "max"], []),
    };

    private void ReadGroup(MappingNode group, string path, string prefix, List<SweepParameter> into)
    {
        if (group.Entries.Count == 0) reader.Expected(group, path, "at least one parameter");
        foreach (var entry in group.Entries)
        {
            var name = prefix + entry.Name;
            var entryPath = NodeReader.Join(path, entry.Name);
            if (entry.Name.Contains('.', StringComparison.Ordinal))
            {
                reader.Error(entry.Key, entryPath, "a parameter name may not contain `.`; nest parameters under `parameters:` instead");
                continue;
            }

            if (entry.Value is not MappingNode spec)
            {
                var example = entry.Value is ScalarNode scalar ? $" (write `{entry.Name}: {{value: {scalar.Text}}}`)" : entry.Value is SequenceNode ? $" (write `{entry.Name}: {{values: [...]}}`)" : "";
                reader.Error(entry.Value, entryPath, $"expected a mapping with `value`, `values` or `distribution`, found {entry.Value.Description}{example}");
                continue;
            }

            var keys = reader.Keys(spec, entryPath, ParameterKeys);
            if (keys.TryGetValue("parameters", out var nested))
            {
                var nestedPath = NodeReader.Join(entryPath, "parameters");
                if (keys.Count > 1) reader.Error(spec, entryPath, $"a parameter with nested `parameters` takes no other keys, found {string.Join(", ", keys.Keys.Where(key => key != "parameters").Select(key => $"`{key}`"))}");
                if (reader.Mapping(nested.Value, nestedPath) is { } children) ReadGroup(children, nestedPath, name + ".", into);
                continue;
            }

            if (TypeOf(name, entry.Key, entryPath) is { } type && ReadDomain(spec, keys, entryPath, type) is { } domain)
            {
                var requires = keys.TryGetValue("requires", out var requiresEntry) ? ReadRequires(requiresEntry, entryPath, domain, type) : new();
                if (requires is not null) into.Add(new SweepParameter(name, domain) { Requires = requires });
            }
        }
    }

    private ParameterType? TypeOf(string name, ScalarNode key, string path)
    {
        if (TrainerParameters.FindKnown(name) is { } known) return known.Type;
        bool declaredFree = name.StartsWith(TrainerParameterNames.FreeFormPrefix, StringComparison.Ordinal)
            || freeForm.Any(free => name == free || name.StartsWith(free + ".", StringComparison.Ordinal));
        if (declaredFree) return FreeFormType.Instance;

        var names = TrainerParameters.Known.Select(parameter => parameter.Name).ToList();
        reader.Error(key, path,
            $"unknown parameter `{name}`{Spelling.Suggestion(name, names)}; the trainer takes "
            + $"{NodeReader.Alternatives(names)}; name a free-form parameter `x_…` or list it under `free_parameters`");
        return null;
    }

    private ParameterDomain? ReadDomain(MappingNode spec, Dictionary<string, MappingEntry> keys, string path, ParameterType type)
    {
        int errorsBefore = reader.Errors.Count;
        var form = FormOf(spec, keys, path);
        if (form is null) return null;

        var (required, optional) = KeysOf(form);
        foreach (var key in keys.Keys.Where(key => key is not ("distribution" or "requires") && !required.Contains(key) && !optional.Contains(key)))
        {
            var takes = string.Join(", ", required.Concat(optional).Select(known => $"`{known}`"));
            reader.Error(keys[key].Key, NodeReader.Join(path, key), $"`{key}` does not apply to {form}{(takes.Length > 0 ? $", which takes {takes}" : "")}");
        }

        foreach (var key in required.Where(key => !keys.ContainsKey(key)))
        {
            reader.Error(spec, path, $"missing key `{key}`: {form} needs `{string.Join("` and `", required)}`");
        }

        if (grid && form != Constant && form != Categorical)
        {
            var (at, atPath) = keys.TryGetValue("distribution", out var distribution) ? (distribution.Value, NodeReader.Join(path, "distribution")) : (spec, path);
            reader.Error(at, atPath, $"grid search enumerates `value` and `values` only, found distribution {form}; list the values, or use method random or bayes");
        }

        if (reader.Errors.Count > errorsBefore) return null;
        return form switch
        {
            Constant => ReadValue(keys["value"].Value, NodeReader.Join(path, "value"), type) is { } value ? new ConstantDomain(value) : null,
            Categorical => ReadCategorical(keys, path, type),
            _ => ReadDistribution(form, spec, keys, path, type),
        };
    }

    /// <summary>
    /// <c>requires: {cnn: gpu, vae: [gpu, big-mem]}</c>: each key one of the parameter's listed values (read as the
    /// parameter's type, so <c>16</c> names the integer 16), each value the tags its trials need. Null after an error.
    /// </summary>
    private Dictionary<ParameterValue, IReadOnlyList<string>>? ReadRequires(MappingEntry entry, string path, ParameterDomain domain, ParameterType type)
    {
        var requiresPath = NodeReader.Join(path, "requires");
        if (domain.Listed is not { } listed)
        {
            reader.Error(entry.Key, requiresPath, "`requires` names listed values (`value` or `values`), not a distribution's; require a tag of every trial with the sweep's top-level `requires`");
            return null;
        }

        if (reader.Mapping(entry.Value, requiresPath, "a mapping of the parameter's values to worker tags, such as `{cnn: gpu}`") is not { } mapping) return null;
        int errorsBefore = reader.Errors.Count;
        var requires = new Dictionary<ParameterValue, IReadOnlyList<string>>();
        foreach (var (key, tagsNode) in mapping.Entries.Select(pair => (pair.Key, pair.Value)))
        {
            var keyPath = NodeReader.Join(requiresPath, key.Text);
            var value = type.Convert(key);
            if (value is null || !listed.Contains(value))
            {
                reader.Error(key, keyPath, $"`{key.Written}` is not one of the parameter's values ({string.Join(", ", listed)}); `requires` maps values to worker tags");
                continue;
            }

            if (reader.Tags(tagsNode, keyPath) is { } tags) requires[value] = tags;
        }

        return reader.Errors.Count > errorsBefore ? null : requires;
    }

    private string? FormOf(MappingNode spec, Dictionary<string, MappingEntry> keys, string path)
    {
        if (keys.TryGetValue("distribution", out var distribution))
        {
            var distributionPath = NodeReader.Join(path, "distribution");
            if (distribution.Value is ScalarNode scalar && Unsupported.TryGetValue(scalar.Text, out var instead))
            {
                reader.Error(scalar, distributionPath, $"distribution {scalar.Text} is not supported: {instead}");
                return null;
            }

            return reader.Choice(distribution.Value, distributionPath, Forms);
        }

        // W&B's inference when no distribution is given.
        if (keys.ContainsKey("values")) return Categorical;
        if (keys.ContainsKey("value")) return Constant;
        if (keys.TryGetValue("min", out var min) && keys.TryGetValue("max", out var max))
        {
            return min.Value is ScalarNode { AsInteger: not null } && max.Value is ScalarNode { AsInteger: not null } ? "int_uniform" : "uniform";
        }

        reader.Error(spec, path, "expected `value`, `values`, `distribution`, or `min` and `max`");
        return null;
    }

    private ParameterValue? ReadValue(SpecNode node, string path, ParameterType type)
    {
        if (node is ScalarNode scalar && type.Convert(scalar) is { } value) return value;
        reader.Expected(node, path, type.Expected);
        return null;
    }

    private CategoricalDomain? ReadCategorical(Dictionary<string, MappingEntry> keys, string path, ParameterType type)
    {
        var valuesPath = NodeReader.Join(path, "values");
        if (reader.NonEmptySequence(keys["values"].Value, valuesPath) is not { } sequence) return null;

        var values = new List<ParameterValue>();
        bool valid = true;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = NodeReader.Index(valuesPath, i);
            var value = ReadValue(sequence.Items[i], itemPath, type);
            int duplicate = value is null ? -1 : values.IndexOf(value);
            if (duplicate >= 0) reader.Error(sequence.Items[i], itemPath, $"duplicate of values[{duplicate}] ({value}); a value is tried once");
            valid &= value is not null && duplicate < 0;
            values.Add(value!);
        }

        var probabilities = keys.TryGetValue("probabilities", out var entry) ? ReadProbabilities(entry.Value, NodeReader.Join(path, "probabilities"), sequence.Items.Count) : null;
        if (!valid || (entry is not null && probabilities is null)) return null;
        if (grid && probabilities is not null) reader.Notice(entry!.Key, NodeReader.Join(path, "probabilities"), "ignored by grid search, which tries every value once");
        return new CategoricalDomain(values, probabilities);
    }

    private double[]? ReadProbabilities(SpecNode node, string path, int valueCount)
    {
        if (reader.NonEmptySequence(node, path) is not { } sequence) return null;
        if (sequence.Items.Count != valueCount)
        {
            reader.Error(sequence, path, $"expected {valueCount} probabilities, one per value, found {sequence.Items.Count}");
            return null;
        }

        var probabilities = sequence.Items.Select((item, i) => Probability(item, NodeReader.Index(path, i))).ToList();
        if (probabilities.Any(probability => probability is null)) return null;
        double sum = probabilities.Sum(probability => probability!.Value);
        if (Math.Abs(sum - 1) > ProbabilityTolerance)
        {
            reader.Error(sequence, path, $"expected probabilities that sum to 1, found a sum of {sum:R}");
            return null;
        }

        return [.. probabilities.Select(probability => probability!.Value / sum)];
    }

    private double? Probability(SpecNode node, string path)
    {
        if (node is ScalarNode { AsNumber: >= 0 and <= 1 and var probability }) return probability;
        reader.Expected(node, path, "a probability from 0 to 1");
        return null;
    }

    private DistributionDomain? ReadDistribution(string name, MappingNode spec, Dictionary<string, MappingEntry> keys, string path, ParameterType type)
    {
        int errorsBefore = reader.Errors.Count;
        var kind = NumericDistribution.Parse(name)!.Value;
        bool integers = kind == DistributionKind.IntUniform;
        bool logBounds = kind is DistributionKind.LogUniformValues or DistributionKind.QLogUniformValues or DistributionKind.InvLogUniformValues;

        double Read(string key, double fallback, double? above = null)
        {
            if (!keys.TryGetValue(key, out var entry)) return fallback;
            var keyPath = NodeReader.Join(path, key);
            if (integers) return reader.Integer(entry.Value, keyPath, long.MinValue) ?? double.NaN;
            if (logBounds && (key is "min" or "max") && entry.Value is ScalarNode { AsNumber: <= 0 })
            {
                reader.Expected(entry.Value, keyPath, $"a number > 0 ({name} takes its log)");
                return double.NaN;
            }

            return reader.Number(entry.Value, keyPath, above) ?? double.NaN;
        }

        double min = Read("min", double.NaN), max = Read("max", double.NaN);
        double mu = Read("mu", 0), sigma = Read("sigma", 1, above: 0);
        double? q = kind is DistributionKind.QUniform or DistributionKind.QLogUniformValues or DistributionKind.QNormal ? Read("q", 1, above: 0) : null;
        if (keys.TryGetValue("min", out var minEntry) && min >= max)
        {
            reader.Error(minEntry.Value, NodeReader.Join(path, "min"), $"expected min < max, found min {minEntry.Value.Description} and max {keys["max"].Value.Description}");
        }

        if (reader.Errors.Count > errorsBefore) return null;
        var distribution = new NumericDistribution(kind, min, max, mu, sigma, q);
        if (type.Refuse(distribution) is { } refusal)
        {
            var (blamed, blamedPath) = keys.TryGetValue(refusal.Key, out var entry) ? (entry.Value, NodeReader.Join(path, refusal.Key)) : (spec, path);
            reader.Error(blamed, blamedPath, refusal.Message);
            return null;
        }

        return new DistributionDomain(distribution, type.TakesIntegers(distribution));
    }
}

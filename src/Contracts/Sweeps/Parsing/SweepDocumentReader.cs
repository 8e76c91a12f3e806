using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps.EarlyStopping;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>Reads the top level of a sweep file (W&amp;B's keys and SweepRunner's) and checks how they combine.</summary>
internal sealed class SweepDocumentReader(NodeReader reader)
{
    private const string Hyperband = "hyperband";
    private const string Median = "median";

    private static readonly string[] TopKeys =
    [
        "name", "description", "method", "metric", "parameters", "early_terminate", "run_cap",
        "dataset", "epochs", "train_limit", "workers_hint", "free_parameters", "checkpoints", "trial_timeout", "requires",
        "packing",
    ];

    private static readonly Dictionary<string, string> IgnoredTopKeys = new(StringComparer.Ordinal)
    {
        ["program"] = "SweepRunner trains its VAEs itself; there is no program to launch",
        ["command"] = "SweepRunner trains its VAEs itself; there is no command to run",
        ["entity"] = "a W&B account setting",
        ["project"] = "a W&B account setting",
        ["controller"] = "SweepRunner's coordinator schedules the trials",
    };

    private static readonly string[] Methods = ["grid", "random", "bayes"];
    private static readonly string[] MetricKeys = ["name", "goal", "target"];
    private static readonly string[] Goals = ["minimize", "maximize"];
    private static readonly string[] StopperTypes = [Hyperband, Median];
    private static readonly string[] HyperbandKeys = ["type", "min_iter", "max_iter", "s", "eta", "strict"];
    private static readonly string[] MedianKeys = ["type", "min_trials", "grace_epochs"];
    private static readonly string[] CheckpointsKeys = ["keep"];
    private static readonly string[] CheckpointKeeps = [.. Enum.GetValues<CheckpointKeep>().Select(keep => keep.LowerName())];
    private static readonly string[] PackingModes = [.. Enum.GetValues<PackingMode>().Select(mode => mode.LowerName())];

    /// <summary>The spec, or null when anything is wrong (the errors are in the reader).</summary>
    public SweepSpec? Read(SpecNode root)
    {
        if (reader.Mapping(root, "", "a mapping of sweep keys (method, parameters, …)") is not { } top) return null;
        var keys = reader.Keys(top, "", TopKeys, IgnoredTopKeys);

        string? method = null;
        if (keys.TryGetValue("method", out var methodEntry)) method = reader.Choice(methodEntry.Value, "method", Methods);
        else reader.Missing(top, "", "method", NodeReader.Alternatives(Methods));

        var metric = keys.TryGetValue("metric", out var metricEntry) ? ReadMetric(metricEntry.Value, "metric") : null;
        var freeForm = keys.TryGetValue("free_parameters", out var free) ? ReadNames(free.Value, "free_parameters") : [];
        List<SweepParameter> parameters = [];
        if (keys.TryGetValue("parameters", out var parametersEntry)) parameters = new ParametersReader(reader, freeForm, grid: method == "grid").Read(parametersEntry.Value, "parameters");
        else reader.Missing(top, "", "parameters", "a mapping of parameter names to their values");
        var stopper = keys.TryGetValue("early_terminate", out var stopEntry) ? ReadStopper(stopEntry.Value, "early_terminate") : null;
        var checkpointKeep = keys.TryGetValue("checkpoints", out var checkpointsEntry) ? ReadCheckpointKeep(checkpointsEntry.Value, "checkpoints") : null;
        var trialTimeout = keys.TryGetValue("trial_timeout", out var timeoutEntry) ? reader.Duration(timeoutEntry.Value, "trial_timeout", SweepSpec.MinTrialTimeout) : null;
        var requires = keys.TryGetValue("requires", out var requiresEntry) ? reader.Tags(requiresEntry.Value, "requires") : [];
        var packing = keys.TryGetValue("packing", out var packingEntry) ? reader.Choice(packingEntry.Value, "packing", PackingModes) : PackingMode.Off.LowerName();

        int? Integer(string key, int max = int.MaxValue) => keys.TryGetValue(key, out var entry) ? (int?)reader.Integer(entry.Value, key, 1, max) : null;
        string? Text(string key) => keys.TryGetValue(key, out var entry) ? reader.Text(entry.Value, key) : null;
        var (name, description, dataset) = (Text("name"), Text("description"), Text("dataset"));
        var (runCap, epochs, trainLimit, workersHint) = (Integer("run_cap", SweepSpec.MaxRunCap), Integer("epochs"), Integer("train_limit"), Integer("workers_hint", SweepSpec.MaxWorkersHint));

        if (method == "bayes" && metricEntry is null) reader.Error(methodEntry!.Value, "method", "bayes models the metric; add `metric: {name: test.total, goal: minimize}`");
        if (stopEntry is not null && metricEntry is null) reader.Error(stopEntry.Key, "early_terminate", "early stopping compares trials by the metric; add `metric: {name: test.total, goal: minimize}`");
        if (reader.Errors.Count > 0 || method is null || requires is null || packing is null) return null;

        var spec = new SweepSpec
        {
            Name = name,
            Description = description,
            Method = Enum.Parse<SearchMethodKind>(method, ignoreCase: true),
            Metric = metric,
            Parameters = parameters,
            EarlyTerminate = stopper,
            RunCap = runCap,
            Dataset = dataset,
            Epochs = epochs,
            TrainLimit = trainLimit,
            WorkersHint = workersHint,
            CheckpointKeep = checkpointKeep,
            TrialTimeout = trialTimeout,
            Requires = requires,
            Packing = Enum.Parse<PackingMode>(packing, ignoreCase: true),
        };

        CheckGridSize(spec, keys);
        NoteOverriddenSweepKeys(spec, keys);
        return reader.Errors.Count > 0 ? null : spec;
    }

    private MetricSpec? ReadMetric(SpecNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } mapping) return null;
        var keys = reader.Keys(mapping, path, MetricKeys);
        string? name = null;
        if (!keys.TryGetValue("name", out var nameEntry))
        {
            reader.Missing(mapping, path, "name", NodeReader.Alternatives(MetricNames.Canonical));
        }
        else if (reader.Text(nameEntry.Value, NodeReader.Join(path, "name")) is { } written)
        {
            name = MetricNames.Resolve(written);
            if (name is null)
            {
                reader.Error(nameEntry.Value, NodeReader.Join(path, "name"),
                    $"unknown metric `{written}`{Spelling.Suggestion(written, MetricNames.Canonical.Concat(MetricNames.Aliases.Keys))}; expected {NodeReader.Alternatives(MetricNames.Canonical)} (or an alias: {string.Join(", ", MetricNames.Aliases.Keys)})");
            }
            else if (name != written)
            {
                reader.Notice(nameEntry.Value, NodeReader.Join(path, "name"), $"`{written}` is read as `{name}`");
            }
        }

        var goal = keys.TryGetValue("goal", out var goalEntry) ? reader.Choice(goalEntry.Value, NodeReader.Join(path, "goal"), Goals) : "minimize";
        var target = keys.TryGetValue("target", out var targetEntry) ? reader.Number(targetEntry.Value, NodeReader.Join(path, "target")) : null;
        return name is null || goal is null || (targetEntry is not null && target is null)
            ? null
            : new MetricSpec(name, Enum.Parse<MetricGoal>(goal, ignoreCase: true), target);
    }

    private CheckpointKeep? ReadCheckpointKeep(SpecNode node, string path)
    {
        if (reader.Mapping(node, path, "a mapping such as `{keep: best}`") is not { } mapping) return null;
        var keys = reader.Keys(mapping, path, CheckpointsKeys);
        if (!keys.TryGetValue("keep", out var keepEntry))
        {
            reader.Missing(mapping, path, "keep", NodeReader.Alternatives(CheckpointKeeps));
            return null;
        }

        return reader.Choice(keepEntry.Value, NodeReader.Join(path, "keep"), CheckpointKeeps) is { } keep ? Enum.Parse<CheckpointKeep>(keep, ignoreCase: true) : null;
    }

    private HashSet<string> ReadNames(SpecNode node, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (reader.NonEmptySequence(node, path) is { } sequence)
        {
            for (int i = 0; i < sequence.Items.Count; i++)
            {
                if (reader.Text(sequence.Items[i], NodeReader.Index(path, i)) is { } name) names.Add(name);
            }
        }

        return names;
    }

    private EarlyStopper? ReadStopper(SpecNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } mapping) return null;
        var typeEntry = mapping.Entries.FirstOrDefault(entry => entry.Name == "type");
        if (typeEntry is null)
        {
            reader.Missing(mapping, path, "type", NodeReader.Alternatives(StopperTypes));
            return null;
        }

        var type = reader.Choice(typeEntry.Value, NodeReader.Join(path, "type"), StopperTypes);
        if (type is null) return null;
        int errorsBefore = reader.Errors.Count;
        var keys = reader.Keys(mapping, path, type == Hyperband ? HyperbandKeys : MedianKeys);
        long? Integer(string key, long min) => keys.TryGetValue(key, out var entry) ? reader.Integer(entry.Value, NodeReader.Join(path, key), min, int.MaxValue) : null;

        if (type == Median)
        {
            var minTrials = Integer("min_trials", 1) ?? MedianStopper.DefaultMinTrials;
            var grace = Integer("grace_epochs", 0) ?? MedianStopper.DefaultGraceEpochs;
            return reader.Errors.Count > errorsBefore ? null : new MedianStopper((int)minTrials, (int)grace);
        }

        var minIter = Integer("min_iter", 1);
        var maxIter = Integer("max_iter", 1);
        var brackets = Integer("s", 1);
        var eta = keys.TryGetValue("eta", out var etaEntry) ? reader.Number(etaEntry.Value, NodeReader.Join(path, "eta"), above: 1) : 3.0;
        var strict = keys.TryGetValue("strict", out var strictEntry) ? reader.Boolean(strictEntry.Value, NodeReader.Join(path, "strict")) : false;
        if (keys.ContainsKey("min_iter") == keys.ContainsKey("max_iter"))
        {
            SpecNode at = keys.TryGetValue("max_iter", out var both) ? both.Key : mapping;
            reader.Error(at, path, "hyperband takes either `min_iter` (the first milestone epoch) or `max_iter` with `s` (W&B's two forms), not both or neither");
        }
        else if (keys.ContainsKey("max_iter") && !keys.ContainsKey("s"))
        {
            reader.Missing(mapping, path, "s", "the number of brackets below `max_iter`");
        }

        if (reader.Errors.Count > errorsBefore) return null;
        var stopper = minIter is { } first
            ? HyperbandStopper.FromMinIter((int)first, eta!.Value, (int?)brackets, strict!.Value)
            : HyperbandStopper.FromMaxIter((int)maxIter!.Value, eta!.Value, (int)brackets!.Value, strict!.Value);
        if (stopper.Milestones.Count == 0)
        {
            reader.Error(keys["max_iter"].Value, NodeReader.Join(path, "max_iter"),
                $"max_iter {maxIter} divided by eta {eta.Value.ToString(CultureInfo.InvariantCulture)} is below 1: no milestone is left; raise max_iter or lower eta");
            return null;
        }

        return stopper;
    }

    private void CheckGridSize(SweepSpec spec, Dictionary<string, MappingEntry> keys)
    {
        if (spec.Method != SearchMethodKind.Grid) return;
        var size = GridSearch.Count(spec.Parameters);
        if (size > GridSearch.MaxTrials)
        {
            var factors = string.Join(" × ", spec.Parameters.Select(parameter => (parameter.Domain as CategoricalDomain)?.Values.Count ?? 1));
            reader.Error(keys["parameters"].Key, "parameters", $"the grid has {size:N0} trials ({factors}), over the limit of {GridSearch.MaxTrials:N0}; use fewer values, or method random with run_cap");
        }
        else if (spec.RunCap is { } cap && cap < size)
        {
            reader.Notice(keys["run_cap"].Value, "run_cap", $"run_cap {cap}: only the first {cap} of the {size} grid trials run");
        }
    }

    private void NoteOverriddenSweepKeys(SweepSpec spec, Dictionary<string, MappingEntry> keys)
    {
        string[] sweepLevel = [TrainerParameterNames.Epochs, TrainerParameterNames.TrainLimit, TrainerParameterNames.Dataset];
        foreach (var key in sweepLevel.Where(key => keys.ContainsKey(key) && spec.Parameters.Any(parameter => parameter.Name == key)))
        {
            reader.Notice(keys[key].Key, key, $"overridden in every trial by parameters.{key}");
        }
    }
}

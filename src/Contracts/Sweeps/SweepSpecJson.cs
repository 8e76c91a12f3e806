using System.Text;
using System.Text.Json;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps.EarlyStopping;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// A parsed <see cref="SweepSpec"/> as JSON, stored beside the sweep file so that the coordinator reads it back
/// without parsing YAML again. Written and read by hand: every parameter domain and stopper is one of a fixed set of
/// shapes, told apart by the names a sweep file uses (<c>distribution</c>, <c>type</c>), and reading refuses any
/// other name or key; no type is ever named by the JSON. Parameter values keep their canonical form (a real stays
/// <c>1.0</c>), so the trials of a spec read back have the hashes of the original's.
/// </summary>
public static class SweepSpecJson
{
    /// <summary>The version of the shape written; a stored spec of another version is refused.</summary>
    public const int FormatVersion = 1;

    private const string Constant = "constant";
    private const string Categorical = "categorical";
    private const string Hyperband = "hyperband";
    private const string Median = "median";

    private static readonly string[] Methods = ["grid", "random", "bayes"];
    private static readonly string[] Goals = ["minimize", "maximize"];
    private static readonly string[] CheckpointKeeps = [.. Enum.GetValues<CheckpointKeep>().Select(keep => keep.LowerName())];
    private static readonly string[] PackingModes = [.. Enum.GetValues<PackingMode>().Select(mode => mode.LowerName())];

    /// <summary>One line of JSON, keys in a fixed order, absent values left out.</summary>
    public static string Write(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", FormatVersion);
            WriteOptional(writer, "name", spec.Name);
            WriteOptional(writer, "description", spec.Description);
            writer.WriteString("method", spec.Method.LowerName());
            if (spec.Metric is { } metric) WriteMetric(writer, metric);
            writer.WriteStartArray("parameters");
            foreach (var parameter in spec.Parameters) WriteParameter(writer, parameter);
            writer.WriteEndArray();
            if (spec.EarlyTerminate is { } stopper) WriteStopper(writer, stopper);
            WriteOptional(writer, "run_cap", spec.RunCap);
            WriteOptional(writer, "dataset", spec.Dataset);
            WriteOptional(writer, "epochs", spec.Epochs);
            WriteOptional(writer, "train_limit", spec.TrainLimit);
            WriteOptional(writer, "workers_hint", spec.WorkersHint);
            if (spec.CheckpointKeep is { } keep)
            {
                writer.WriteStartObject("checkpoints");
                writer.WriteString("keep", keep.LowerName());
                writer.WriteEndObject();
            }

            if (spec.TrialTimeout is { } timeout) writer.WriteString("trial_timeout", Duration.Format(timeout));
            if (spec.Requires.Count > 0) WriteTags(writer, "requires", spec.Requires);
            // Written only when on: a spec without packing stays byte for byte what it was before the key existed.
            if (spec.Packing != PackingMode.Off) writer.WriteString("packing", spec.Packing.LowerName());
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The spec <see cref="Write"/> wrote.</summary>
    /// <exception cref="FormatException">Not JSON of that shape: the message gives the path of what is wrong.</exception>
    public static SweepSpec Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadSpec(new Fields(document.RootElement, "spec"));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"a stored sweep spec is not valid JSON: {ex.Message}", ex);
        }
    }

    private static void WriteMetric(Utf8JsonWriter writer, MetricSpec metric)
    {
        writer.WriteStartObject("metric");
        writer.WriteString("name", metric.Name);
        writer.WriteString("goal", metric.Goal.LowerName());
        if (metric.Target is { } target) writer.WriteNumber("target", target);
        writer.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter writer, SweepParameter parameter)
    {
        writer.WriteStartObject();
        writer.WriteString("name", parameter.Name);
        switch (parameter.Domain)
        {
            case ConstantDomain constant:
                writer.WriteString("distribution", Constant);
                writer.WritePropertyName("value");
                constant.Value.WriteJson(writer);
                break;
            case CategoricalDomain categorical:
                writer.WriteString("distribution", Categorical);
                writer.WriteStartArray("values");
                foreach (var value in categorical.Values) value.WriteJson(writer);
                writer.WriteEndArray();
                if (categorical.Probabilities is { } probabilities)
                {
                    writer.WriteStartArray("probabilities");
                    foreach (var probability in probabilities) writer.WriteNumberValue(probability);
                    writer.WriteEndArray();
                }

                break;
            case DistributionDomain { Distribution: var distribution } domain:
                writer.WriteString("distribution", distribution.Name);
                // The normal kinds are shaped by mu and sigma, the others bounded by min and max (the parser fills the unused pair).
                if (distribution.IsNormal)
                {
                    writer.WriteNumber("mu", distribution.Mu);
                    writer.WriteNumber("sigma", distribution.Sigma);
                }
                else
                {
                    writer.WriteNumber("min", distribution.Min);
                    writer.WriteNumber("max", distribution.Max);
                }

                if (distribution.Q is { } q) writer.WriteNumber("q", q);
                writer.WriteBoolean("integer_valued", domain.IntegerValued);
                break;
            default:
                throw new ArgumentException($"parameter {parameter.Name}: no JSON form for a {parameter.Domain.GetType().Name}", nameof(parameter));
        }

        if (parameter.Requires.Count > 0) WriteValueRequires(writer, parameter);
        writer.WriteEndObject();
    }

    /// <summary><c>"requires": [{"value": "cnn", "tags": ["gpu"]}]</c>, in the order of the parameter's values (JSON keys could not hold a number).</summary>
    private static void WriteValueRequires(Utf8JsonWriter writer, SweepParameter parameter)
    {
        var listed = parameter.Domain.Listed
            ?? throw new ArgumentException($"parameter {parameter.Name}: `requires` names listed values, and a {parameter.Domain.GetType().Name} lists none", nameof(parameter));
        writer.WriteStartArray("requires");
        foreach (var value in listed.Where(parameter.Requires.ContainsKey))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            value.WriteJson(writer);
            WriteTags(writer, "tags", parameter.Requires[value]);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTags(Utf8JsonWriter writer, string key, IReadOnlyList<string> tags)
    {
        writer.WriteStartArray(key);
        foreach (var tag in tags) writer.WriteStringValue(tag);
        writer.WriteEndArray();
    }

    private static void WriteStopper(Utf8JsonWriter writer, EarlyStopper stopper)
    {
        writer.WriteStartObject("early_terminate");
        switch (stopper)
        {
            case HyperbandStopper hyperband:
                writer.WriteString("type", Hyperband);
                writer.WriteStartArray("milestones");
                foreach (int milestone in hyperband.Milestones) writer.WriteNumberValue(milestone);
                writer.WriteEndArray();
                writer.WriteNumber("eta", hyperband.Eta);
                writer.WriteBoolean("strict", hyperband.Strict);
                break;
            case MedianStopper median:
                writer.WriteString("type", Median);
                writer.WriteNumber("min_trials", median.MinTrials);
                writer.WriteNumber("grace_epochs", median.GraceEpochs);
                break;
            default:
                throw new ArgumentException($"early_terminate: no JSON form for a {stopper.GetType().Name}", nameof(stopper));
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null) writer.WriteString(key, value);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string key, int? value)
    {
        if (value is { } number) writer.WriteNumber(key, number);
    }

    private static SweepSpec ReadSpec(Fields spec)
    {
        spec.Only("format", "name", "description", "method", "metric", "parameters", "early_terminate", "run_cap", "dataset", "epochs", "train_limit", "workers_hint", "checkpoints", "trial_timeout", "requires", "packing");
        int format = spec.Integer("format");
        if (format != FormatVersion) throw spec.Invalid("format", $"version {format} is not the version read here, {FormatVersion}");
        return new SweepSpec
        {
            Name = spec.OptionalText("name"),
            Description = spec.OptionalText("description"),
            Method = Enum.Parse<SearchMethodKind>(spec.Choice("method", Methods), ignoreCase: true),
            Metric = spec.OptionalObject("metric") is { } metric ? ReadMetric(metric) : null,
            Parameters = [.. spec.Objects("parameters").Select(ReadParameter)],
            EarlyTerminate = spec.OptionalObject("early_terminate") is { } stopper ? ReadStopper(stopper) : null,
            RunCap = spec.OptionalInteger("run_cap"),
            Dataset = spec.OptionalText("dataset"),
            Epochs = spec.OptionalInteger("epochs"),
            TrainLimit = spec.OptionalInteger("train_limit"),
            WorkersHint = spec.OptionalInteger("workers_hint"),
            CheckpointKeep = spec.OptionalObject("checkpoints") is { } checkpoints ? ReadCheckpointKeep(checkpoints) : null,
            TrialTimeout = ReadTrialTimeout(spec),
            Requires = spec.OptionalTags("requires") ?? [],
            Packing = spec.OptionalText("packing") is null ? PackingMode.Off : Enum.Parse<PackingMode>(spec.Choice("packing", PackingModes), ignoreCase: true),
        };
    }

    private static TimeSpan? ReadTrialTimeout(Fields spec)
    {
        if (spec.OptionalText("trial_timeout") is not { } text) return null;
        return Duration.TryParse(text, out var timeout) && timeout >= SweepSpec.MinTrialTimeout
            ? timeout
            : throw spec.Invalid("trial_timeout", $"`{text}` is not {Duration.Expected}, at least {Duration.Format(SweepSpec.MinTrialTimeout)}");
    }

    private static CheckpointKeep ReadCheckpointKeep(Fields checkpoints)
    {
        checkpoints.Only("keep");
        return Enum.Parse<CheckpointKeep>(checkpoints.Choice("keep", CheckpointKeeps), ignoreCase: true);
    }

    private static MetricSpec ReadMetric(Fields metric)
    {
        metric.Only("name", "goal", "target");
        var name = metric.Text("name");
        if (MetricNames.Resolve(name) != name) throw metric.Invalid("name", $"`{name}` is not a canonical metric name");
        return new MetricSpec(name, Enum.Parse<MetricGoal>(metric.Choice("goal", Goals), ignoreCase: true), metric.OptionalNumber("target"));
    }

    private static SweepParameter ReadParameter(Fields parameter)
    {
        var form = parameter.Choice("distribution", [Constant, Categorical, .. NumericDistribution.KnownNames]);
        ParameterDomain domain;
        if (form == Constant)
        {
            parameter.Only("name", "distribution", "value", "requires");
            domain = new ConstantDomain(parameter.Value("value"));
        }
        else if (form == Categorical)
        {
            parameter.Only("name", "distribution", "values", "probabilities", "requires");
            var values = parameter.Values("values");
            var probabilities = parameter.OptionalNumbers("probabilities");
            if (probabilities is not null && probabilities.Count != values.Count) throw parameter.Invalid("probabilities", $"{probabilities.Count} probabilities for {values.Count} values");
            domain = new CategoricalDomain(values, probabilities);
        }
        else
        {
            domain = ReadDistribution(parameter, NumericDistribution.Parse(form)!.Value);
        }

        return new SweepParameter(parameter.Text("name"), domain) { Requires = ReadValueRequires(parameter, domain) };
    }

    private static Dictionary<ParameterValue, IReadOnlyList<string>> ReadValueRequires(Fields parameter, ParameterDomain domain)
    {
        var requires = new Dictionary<ParameterValue, IReadOnlyList<string>>();
        var listed = domain.Listed ?? [];
        foreach (var entry in parameter.OptionalObjects("requires") ?? [])
        {
            entry.Only("value", "tags");
            var value = entry.Value("value");
            if (!listed.Contains(value)) throw entry.Invalid("value", $"{value} is not one of the parameter's values");
            requires[value] = entry.OptionalTags("tags") ?? throw entry.Invalid("tags", "missing");
        }

        return requires;
    }

    private static DistributionDomain ReadDistribution(Fields parameter, DistributionKind kind)
    {
        bool quantized = kind is DistributionKind.QUniform or DistributionKind.QLogUniformValues or DistributionKind.QNormal;
        string[] shape = kind is DistributionKind.Normal or DistributionKind.QNormal or DistributionKind.LogNormal ? ["mu", "sigma"] : ["min", "max"];
        parameter.Only(["name", "distribution", "integer_valued", .. shape, .. quantized ? ["q"] : Array.Empty<string>()]);
        // The unused pair as the parser leaves it: bounds NaN for the normal kinds, mu 0 and sigma 1 for the others.
        bool normal = shape[0] == "mu";
        double min = normal ? double.NaN : parameter.Number("min"), max = normal ? double.NaN : parameter.Number("max");
        double mu = normal ? parameter.Number("mu") : 0, sigma = normal ? parameter.Number("sigma") : 1;
        double? q = quantized ? parameter.Number("q") : null;
        if (!normal && !(min < max)) throw parameter.Invalid("min", "expected min < max");
        if (normal && !(sigma > 0)) throw parameter.Invalid("sigma", "expected sigma > 0");
        if (q is <= 0) throw parameter.Invalid("q", "expected q > 0");
        return new DistributionDomain(new NumericDistribution(kind, min, max, mu, sigma, q), parameter.Boolean("integer_valued"));
    }

    private static EarlyStopper ReadStopper(Fields stopper)
    {
        if (stopper.Choice("type", [Hyperband, Median]) == Median)
        {
            stopper.Only("type", "min_trials", "grace_epochs");
            return new MedianStopper(stopper.Integer("min_trials", min: 1), stopper.Integer("grace_epochs", min: 0));
        }

        stopper.Only("type", "milestones", "eta", "strict");
        var milestones = stopper.Integers("milestones");
        for (int i = 0; i < milestones.Count; i++)
        {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) throw stopper.Invalid("milestones", "expected ascending epochs >= 1");
        }

        double eta = stopper.Number("eta");
        if (!(eta > 1)) throw stopper.Invalid("eta", "expected eta > 1");
        return HyperbandStopper.FromMilestones(milestones, eta, stopper.Boolean("strict"));
    }

    /// <summary>The members of one JSON object, read by key; every problem is a <see cref="FormatException"/> naming its path.</summary>
    private sealed class Fields
    {
        private readonly JsonElement element;
        private readonly string path;

        public Fields(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}: expected an object, found {element.ValueKind}");
            this.element = element;
            this.path = path;
        }

        /// <summary>Refuses a key that is not one of <paramref name="keys"/>.</summary>
        public void Only(params string[] keys)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!keys.Contains(property.Name, StringComparer.Ordinal)) throw new FormatException($"{path}: unknown key `{property.Name}`");
            }
        }

        public FormatException Invalid(string key, string message) => new($"{path}.{key}: {message}");

        public string Text(string key) => OptionalText(key) ?? throw Missing(key);

        public string? OptionalText(string key) => Optional(key, JsonValueKind.String) is { } value ? value.GetString()! : null;

        public string Choice(string key, IReadOnlyCollection<string> choices)
        {
            var text = Text(key);
            return choices.Contains(text, StringComparer.Ordinal) ? text : throw Invalid(key, $"`{text}` is not one of {string.Join(", ", choices)}");
        }

        public bool Boolean(string key) => Required(key).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            var kind => throw Invalid(key, $"expected true or false, found {kind}"),
        };

        public double Number(string key) => OptionalNumber(key) ?? throw Missing(key);

        public double? OptionalNumber(string key) => Optional(key, JsonValueKind.Number) is { } value ? Finite(value, key) : null;

        public int Integer(string key, int min = int.MinValue) => OptionalInteger(key, min) ?? throw Missing(key);

        public int? OptionalInteger(string key, int min = 1)
        {
            if (Optional(key, JsonValueKind.Number) is not { } value) return null;
            return value.TryGetInt32(out int number) && number >= min ? number : throw Invalid(key, $"expected an integer >= {min}, found {value.GetRawText()}");
        }

        public Fields? OptionalObject(string key) => Optional(key, JsonValueKind.Object) is { } value ? new Fields(value, $"{path}.{key}") : null;

        public List<Fields> Objects(string key) => OptionalObjects(key) ?? throw Missing(key);

        public List<Fields>? OptionalObjects(string key)
        {
            if (Optional(key, JsonValueKind.Array) is not { } array) return null;
            string arrayPath = $"{path}.{key}";
            return [.. array.EnumerateArray().Select((item, i) => new Fields(item, $"{arrayPath}[{i}]"))];
        }

        /// <summary>A non-empty list of valid <see cref="WorkerTags"/>, normalized; null when absent.</summary>
        public IReadOnlyList<string>? OptionalTags(string key)
        {
            if (Optional(key, JsonValueKind.Array) is not { } array) return null;
            var tags = array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String && WorkerTags.IsValid(item.GetString()) ? item.GetString()! : throw Invalid(key, "expected worker tags")).ToList();
            return tags.Count > 0 ? WorkerTags.Normalize(tags) : throw Invalid(key, "expected at least one tag");
        }

        public ParameterValue Value(string key) =>
            ParameterValue.FromJson(Required(key)) ?? throw Invalid(key, "expected a string, a number or a boolean");

        public List<ParameterValue> Values(string key)
        {
            var array = Required(key, JsonValueKind.Array);
            var values = array.EnumerateArray().Select(item => ParameterValue.FromJson(item) ?? throw Invalid(key, "expected strings, numbers or booleans")).ToList();
            return values.Count > 0 ? values : throw Invalid(key, "expected at least one value");
        }

        public List<double>? OptionalNumbers(string key)
        {
            if (Optional(key, JsonValueKind.Array) is not { } array) return null;
            return [.. array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number ? Finite(item, key) : throw Invalid(key, "expected numbers"))];
        }

        public List<int> Integers(string key)
        {
            return [.. Required(key, JsonValueKind.Array).EnumerateArray()
                .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int number) ? number : throw Invalid(key, "expected integers"))];
        }

        private JsonElement Required(string key, JsonValueKind? kind = null) =>
            element.TryGetProperty(key, out var value) ? Of(value, key, kind) : throw Missing(key);

        private JsonElement? Optional(string key, JsonValueKind kind) =>
            element.TryGetProperty(key, out var value) ? Of(value, key, kind) : null;

        private JsonElement Of(JsonElement value, string key, JsonValueKind? kind) =>
            kind is null || value.ValueKind == kind ? value : throw Invalid(key, $"expected {kind.Value.LowerName()}, found {value.ValueKind.LowerName()}");

        private double Finite(JsonElement value, string key) =>
            double.IsFinite(value.GetDouble()) ? value.GetDouble() : throw Invalid(key, $"expected a finite number, found {value.GetRawText()}");

        private FormatException Missing(string key) => new($"{path}: missing key `{key}`");
    }
}

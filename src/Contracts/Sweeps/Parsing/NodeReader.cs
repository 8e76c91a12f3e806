using System.Globalization;
using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// Reads typed values out of <see cref="SpecNode"/>s, recording an error (file, position, key path, what was expected
/// and what was found) for each that does not fit and going on, so that one pass reports every problem.
/// </summary>
internal sealed class NodeReader(string fileName)
{
    private readonly List<SpecError> errors = [];
    private readonly List<SpecNotice> notices = [];

    public IReadOnlyList<SpecError> Errors => errors;

    public IReadOnlyList<SpecNotice> Notices => notices;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public void Error(SourceMark mark, string path, string message) => errors.Add(new SpecError(fileName, mark.Line, mark.Column, path, message));

    public void Error(SpecNode node, string path, string message) => Error(node.Mark, path, message);

    public void Notice(SpecNode node, string path, string message) => notices.Add(new SpecNotice(fileName, node.Mark.Line, node.Mark.Column, path, message));

    public void Expected(SpecNode node, string path, string expected) => Error(node, path, $"expected {expected}, found {node.Description}");

    public void Missing(MappingNode mapping, string path, string key, string expected) => Error(mapping, path, $"missing key `{key}`; expected {expected}");

    /// <summary>
    /// The entries of <paramref name="mapping"/> by key. Keys in <paramref name="ignored"/> get a notice with their
    /// reason; any other key not in <paramref name="known"/> is an error naming the closest known key.
    /// </summary>
    public Dictionary<string, MappingEntry> Keys(MappingNode mapping, string path, IReadOnlyCollection<string> known, IReadOnlyDictionary<string, string>? ignored = null)
    {
        var entries = new Dictionary<string, MappingEntry>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var entryPath = Join(path, entry.Name);
            if (known.Contains(entry.Name))
            {
                entries[entry.Name] = entry;
            }
            else if (ignored is not null && ignored.TryGetValue(entry.Name, out var reason))
            {
                Notice(entry.Key, entryPath, $"ignored: {reason}");
            }
            else
            {
                var hint = Spelling.Suggestion(entry.Name, known) is { Length: > 0 } suggestion ? suggestion : $"; expected one of {string.Join(", ", known)}";
                Error(entry.Key, entryPath, $"unknown key `{entry.Name}`{hint}");
            }
        }

        return entries;
    }

    public MappingNode? Mapping(SpecNode node, string path, string expected = "a mapping")
    {
        if (node is MappingNode mapping) return mapping;
        Expected(node, path, expected);
        return null;
    }

    public SequenceNode? NonEmptySequence(SpecNode node, string path)
    {
        if (node is SequenceNode { Items.Count: > 0 } sequence) return sequence;
        Expected(node, path, node is SequenceNode ? "a non-empty list" : "a list");
        return null;
    }

    public string? Text(SpecNode node, string path)
    {
        if (node is ScalarNode { IsNull: false } scalar && scalar.Text.Length > 0) return scalar.Text;
        Expected(node, path, "a non-empty string");
        return null;
    }

    public bool? Boolean(SpecNode node, string path)
    {
        if (node is ScalarNode { AsBoolean: { } value }) return value;
        Expected(node, path, "true or false");
        return null;
    }

    public long? Integer(SpecNode node, string path, long min, long max = long.MaxValue)
    {
        if (node is ScalarNode { AsInteger: { } value } && value >= min && value <= max) return value;
        Expected(node, path, DescribeIntegers(min, max));
        return null;
    }

    /// <summary>A finite number, greater than <paramref name="above"/> when given.</summary>
    public double? Number(SpecNode node, string path, double? above = null)
    {
        if (node is ScalarNode { AsNumber: { } value } && double.IsFinite(value) && (above is null || value > above)) return value;
        Expected(node, path, above is { } bound ? $"a number > {bound.ToString(CultureInfo.InvariantCulture)}" : "a finite number");
        return null;
    }

    /// <summary>A <see cref="Common.Duration"/> (<c>30m</c>, <c>1h30m</c>) of at least <paramref name="min"/>.</summary>
    public TimeSpan? Duration(SpecNode node, string path, TimeSpan min)
    {
        if (node is ScalarNode { IsNull: false } scalar && Common.Duration.TryParse(scalar.Text, out var value) && value >= min) return value;
        // A bare number is the likeliest slip: say which unit it lacks rather than only what a duration is.
        string hint = node is ScalarNode { AsNumber: { } number } && number > 0 ? $"; a number needs its unit: {node.Description}s, {node.Description}m or {node.Description}h" : "";
        Error(node, path, $"expected {Common.Duration.Expected}, at least {Common.Duration.Format(min)}; found {node.Description}{hint}");
        return null;
    }

    /// <summary>
    /// <see cref="WorkerTags"/> a trial requires: one tag (<c>gpu</c>) or a non-empty list of them (<c>[gpu, big-mem]</c>),
    /// normalized; null when any is not a tag.
    /// </summary>
    public IReadOnlyList<string>? Tags(SpecNode node, string path)
    {
        if (node is ScalarNode { IsNull: false } single) return Tag(single, path) is { } tag ? [tag] : null;
        if (node is not SequenceNode { Items.Count: > 0 } sequence)
        {
            Expected(node, path, "a worker tag or a non-empty list of them");
            return null;
        }

        var tags = sequence.Items.Select((item, i) => Tag(item, Index(path, i))).ToList();
        return tags.Any(tag => tag is null) ? null : WorkerTags.Normalize(tags!);
    }

    private string? Tag(SpecNode node, string path)
    {
        if (node is ScalarNode { Text: var text } && WorkerTags.IsValid(text)) return text;
        Expected(node, path, WorkerTags.Expected);
        return null;
    }

    public string? Choice(SpecNode node, string path, IReadOnlyCollection<string> choices)
    {
        if (node is ScalarNode { IsNull: false } scalar && choices.Contains(scalar.Text)) return scalar.Text;
        var hint = node is ScalarNode misspelt ? Spelling.Suggestion(misspelt.Text, choices) : "";
        Error(node, path, $"expected {Alternatives(choices)}, found {node.Description}{hint}");
        return null;
    }

    /// <summary><c>a, b or c</c>.</summary>
    public static string Alternatives(IReadOnlyCollection<string> choices) =>
        choices.Count == 1 ? choices.First() : $"{string.Join(", ", choices.SkipLast(1))} or {choices.Last()}";

    public static string DescribeIntegers(long min, long max) => (min, max) switch
    {
        (long.MinValue, long.MaxValue) => "an integer",
        (_, >= int.MaxValue) => $"an integer >= {min}",
        _ => $"an integer from {min} to {max}",
    };
}

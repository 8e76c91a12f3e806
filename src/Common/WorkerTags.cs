using System.Text.RegularExpressions;

namespace SweepRunner.Common;

/// <summary>
/// The tags a worker carries (<c>gpu</c>, <c>big-mem</c>) and a trial may require: a trial goes only to a worker that
/// carries all its tags. The store keeps a trial's tags as one text, <see cref="Join"/>ed in a canonical order, so that
/// the lease query compares it with the <see cref="Subsets"/> of the worker's tags: one indexable <c>IN</c>, whatever
/// the number of pending trials.
/// </summary>
public static partial class WorkerTags
{
    /// <summary>The tag of a worker that trains on a GPU (<c>--device cuda</c>).</summary>
    public const string Gpu = "gpu";

    /// <summary>The tag of a worker that trains on the CPU (<c>--device cpu</c>).</summary>
    public const string Cpu = "cpu";

    public const int MaxLength = 32;

    /// <summary>Most tags one worker carries: its <see cref="Subsets"/> (2^n of them) are the lease query's list.</summary>
    public const int MaxPerWorker = 8;

    public const string Expected = "a lower-case tag: a letter or digit, then letters, digits, `-` or `_`, at most 32 characters";

    private const char Separator = ',';

    public static bool IsValid(string? tag) => tag is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(tag);

    /// <summary>The distinct tags in ordinal order: the order every tag list is shown and stored in.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return [.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The tags as stored with a trial: <see cref="Normalize"/>d and comma-joined; empty for none.</summary>
    public static string Join(IEnumerable<string> tags) => string.Join(Separator, Normalize(tags));

    /// <summary>The tags of a <see cref="Join"/>ed text.</summary>
    public static IReadOnlyList<string> Split(string joined)
    {
        ArgumentNullException.ThrowIfNull(joined);
        return joined.Length == 0 ? [] : joined.Split(Separator);
    }

    /// <summary>Every subset of <paramref name="tags"/> (the empty one included), each <see cref="Join"/>ed: the stored tags of every trial a worker carrying them may take.</summary>
    public static IReadOnlyList<string> Subsets(IEnumerable<string> tags)
    {
        var distinct = Normalize(tags);
        if (distinct.Count > MaxPerWorker) throw new ArgumentException($"a worker carries at most {MaxPerWorker} tags, found {distinct.Count}", nameof(tags));
        return [.. Enumerable.Range(0, 1 << distinct.Count).Select(mask => Join(distinct.Where((_, i) => (mask & (1 << i)) != 0)))];
    }

    /// <summary>Whether a worker carrying <paramref name="carried"/> may take a trial that requires <paramref name="required"/>.</summary>
    public static bool Satisfy(IEnumerable<string> carried, IEnumerable<string> required) => !required.Except(carried, StringComparer.Ordinal).Any();

    /// <summary><c>gpu</c>, <c>big-mem and gpu</c>: how messages name a set of tags (<c>a worker tagged …</c>).</summary>
    public static string Describe(IEnumerable<string> tags)
    {
        var list = Normalize(tags);
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list.SkipLast(1))} and {list[^1]}";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Pattern();
}

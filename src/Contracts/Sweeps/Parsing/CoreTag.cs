using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// The YAML core-schema tags a scalar may carry (<c>!!float 1e-5</c>, as W&amp;B sweep files write them): each names
/// the one type the scalar is. Every other tag is refused by <see cref="YamlTreeReader"/>.
/// </summary>
internal enum CoreTag
{
    Str,
    Int,
    Float,
    Bool,
    Null,
}

internal static class CoreTags
{
    private const string Prefix = "tag:yaml.org,2002:";

    /// <summary>The core tag a full tag (<c>tag:yaml.org,2002:int</c>) names; null for any other tag.</summary>
    public static CoreTag? Parse(string tag) => tag switch
    {
        Prefix + "str" => CoreTag.Str,
        Prefix + "int" => CoreTag.Int,
        Prefix + "float" => CoreTag.Float,
        Prefix + "bool" => CoreTag.Bool,
        Prefix + "null" => CoreTag.Null,
        _ => null,
    };

    /// <summary>The tag as a file writes it: <c>!!int</c> for <c>tag:yaml.org,2002:int</c>, any other unchanged.</summary>
    public static string Shorthand(string tag) => tag.StartsWith(Prefix, StringComparison.Ordinal) ? "!!" + tag[Prefix.Length..] : tag;

    public static string Shorthand(CoreTag tag) => "!!" + tag.LowerName();

    /// <summary>What a scalar so tagged must be, for messages: <c>an integer</c>.</summary>
    public static string Expected(CoreTag tag) => tag switch
    {
        CoreTag.Str => "a string",
        CoreTag.Int => "a decimal integer",
        CoreTag.Float => "a number (1e-5, 0.5, .inf, .nan)",
        CoreTag.Bool => "true or false",
        _ => "null, ~ or nothing",
    };
}

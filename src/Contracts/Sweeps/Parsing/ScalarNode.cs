using System.Globalization;
using System.Text.RegularExpressions;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// A scalar and how YAML 1.2's core schema reads it: plain <c>null</c>/<c>~</c>/empty, <c>true</c>/<c>false</c>,
/// decimal integers, floats (<c>1e-3</c>, <c>.inf</c>, <c>.nan</c>); anything quoted is a string. (PyYAML, which W&amp;B
/// uses, reads <c>1e-3</c> as a string and <c>yes</c> as true; here it is the other way round, as YAML 1.2 says.)
/// An untagged plain scalar answers every reading its text allows (<c>4</c> is a number and the string "4"), and the
/// parameter it is given to picks one. A scalar with a core-schema <see cref="Tag"/> is only what its tag says: it
/// answers that reading alone (<c>!!str 4</c> is no number, <c>!!float 3</c> no integer, <c>!!int 4</c> no string),
/// so a tag that contradicts the parameter is refused there; <see cref="YamlTreeReader"/> has checked that the text
/// fits the tag.
/// </summary>
/// <param name="Written">The scalar's text as the file has it (without quotes and tag).</param>
internal sealed partial record ScalarNode(string Written, bool IsPlain, SourceMark Mark, CoreTag? Tag = null) : SpecNode(Mark)
{
    public override string Description
    {
        get
        {
            string value = !IsPlain ? $"\"{Written}\"" : Written;
            if (Tag is { } tag) return value.Length == 0 ? CoreTags.Shorthand(tag) : $"{CoreTags.Shorthand(tag)} {value}";
            return value.Length == 0 ? "nothing" : value;
        }
    }

    /// <summary>The scalar as a string: its text, unless a tag says it is something else (then empty, which no string parameter takes).</summary>
    public string Text => Reads(CoreTag.Str) ? Written : "";

    public bool IsNull => Reads(CoreTag.Null) && Written is "" or "~" or "null" or "Null" or "NULL";

    public bool? AsBoolean => !Reads(CoreTag.Bool) ? null : Written switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>The integer; null for anything else, a 64-bit overflow included (that one still reads as a number).</summary>
    public long? AsInteger =>
        Reads(CoreTag.Int) && DecimalInteger().IsMatch(Written) && long.TryParse(Written, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;

    /// <summary>The number, for integers and floats alike; NaN and infinities included.</summary>
    public double? AsNumber
    {
        get
        {
            if (Tag == CoreTag.Int) return DecimalInteger().IsMatch(Written) ? double.Parse(Written, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
            if (!Reads(CoreTag.Float)) return null;
            if (Float().IsMatch(Written)) return double.Parse(Written, NumberStyles.Float, CultureInfo.InvariantCulture);
            return Written switch
            {
                ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
                "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
                ".nan" or ".NaN" or ".NAN" => double.NaN,
                _ => null,
            };
        }
    }

    /// <summary>Whether the text, read untagged as a plain scalar, is what <paramref name="tag"/> says it is.</summary>
    public static bool Fits(string text, CoreTag tag)
    {
        var plain = new ScalarNode(text, IsPlain: true, default);
        return tag switch
        {
            CoreTag.Str => true,
            CoreTag.Int => DecimalInteger().IsMatch(text),
            CoreTag.Float => plain.AsNumber is not null,
            CoreTag.Bool => plain.AsBoolean is not null,
            _ => plain.IsNull,
        };
    }

    // Untagged, a plain scalar reads as any type its text allows and a quoted one as a string only; tagged, as the tag says.
    private bool Reads(CoreTag type) => Tag is { } tag ? tag == type : IsPlain || type == CoreTag.Str;

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

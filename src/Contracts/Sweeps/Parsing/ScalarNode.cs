using System.Globalization;
using System.Text.RegularExpressions;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// A scalar and how YAML 1.2's core schema reads it: plain <c>null</c>/<c>~</c>/empty, <c>true</c>/<c>false</c>,
/// decimal integers, floats (<c>1e-3</c>, <c>.inf</c>, <c>.nan</c>); anything quoted is a string. (PyYAML, which W&amp;B
/// uses, reads <c>1e-3</c> as a string and <c>yes</c> as true; here it is the other way round, as YAML 1.2 says.)
/// </summary>
internal sealed partial record ScalarNode(string Text, bool IsPlain, SourceMark Mark) : SpecNode(Mark)
{
    public override string Description => !IsPlain ? $"\"{Text}\"" : Text.Length == 0 ? "nothing" : Text;

    public bool IsNull => IsPlain && Text is "" or "~" or "null" or "Null" or "NULL";

    public bool? AsBoolean => !IsPlain ? null : Text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>The integer; null for anything else, a 64-bit overflow included (that one still reads as a number).</summary>
    public long? AsInteger =>
        IsPlain && DecimalInteger().IsMatch(Text) && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;

    /// <summary>The number, for integers and floats alike; NaN and infinities included.</summary>
    public double? AsNumber
    {
        get
        {
            if (!IsPlain) return null;
            if (Float().IsMatch(Text)) return double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return Text switch
            {
                ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
                "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
                ".nan" or ".NaN" or ".NAN" => double.NaN,
                _ => null,
            };
        }
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

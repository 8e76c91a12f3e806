using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Parsing;

namespace SweepRunner.Contracts.Parameters;

/// <summary>Why a distribution cannot serve a parameter, and which of its keys (min, max, distribution) is to blame.</summary>
internal sealed record Refusal(string Key, string Message);

/// <summary>
/// What values a parameter takes: the one check of a value, wherever it comes from (a sweep file, a trial config, a
/// <c>sweep train</c> option, a <see cref="Training.TrainingConfig"/>), and of the distributions a sweep may draw it from.
/// </summary>
public abstract class ParameterType
{
    private static readonly SourceMark NoMark = new(1, 1);

    private protected ParameterType()
    {
    }

    /// <summary><c>string</c>, <c>integer</c> or <c>real</c>: what the API documents call it.</summary>
    public abstract string Kind { get; }

    /// <summary>What the parameter takes, for messages: <c>a number &gt; 0</c>.</summary>
    public abstract string Expected { get; }

    /// <summary>The value as a parameter of this type holds it (an integer given for a real is a real), or null when it does not take it.</summary>
    public abstract ParameterValue? Accept(ParameterValue value);

    /// <summary>
    /// A value written as in a sweep file's plain scalars (<c>4</c>, <c>1e-3</c>, <c>cnn</c>): how <c>sweep train</c>
    /// reads its options, so that an option and a sweep file read the same text the same way. Null when not taken.
    /// </summary>
    public ParameterValue? Parse(string text) => Convert(new ScalarNode(text, IsPlain: true, NoMark));

    /// <summary>The value the scalar stands for, or null when the parameter does not take it.</summary>
    internal virtual ParameterValue? Convert(ScalarNode scalar) => Typed(scalar) is { } value ? Accept(value) : null;

    /// <summary>Null when every value the distribution yields is acceptable.</summary>
    internal abstract Refusal? Refuse(NumericDistribution distribution);

    /// <summary>Whether draws of the distribution become integers.</summary>
    internal abstract bool TakesIntegers(NumericDistribution distribution);

    /// <summary>The scalar typed as YAML's core schema reads it; null for a null and for a non-finite number.</summary>
    private protected static ParameterValue? Typed(ScalarNode scalar)
    {
        if (scalar.IsNull) return null;
        if (scalar.AsBoolean is { } boolean) return new BooleanValue(boolean);
        if (scalar.AsInteger is { } integer) return new IntegerValue(integer);
        if (scalar.AsNumber is { } number) return double.IsFinite(number) ? new RealValue(number) : null;
        return new StringValue(scalar.Text);
    }

    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A parameter whose values are strings: listed with <c>value</c>/<c>values</c>, never drawn from a distribution.</summary>
public abstract class StringParameterType : ParameterType
{
    public override string Kind => "string";

    internal override Refusal? Refuse(NumericDistribution distribution) =>
        new("distribution", $"expected `value` or `values` ({Expected}), found distribution {distribution.Name}");

    internal override bool TakesIntegers(NumericDistribution distribution) => false;
}

/// <summary>A string from a fixed set: <c>model</c>, <c>loss</c>, <c>optimizer</c>.</summary>
public sealed class ChoiceType : StringParameterType
{
    private ChoiceType(IReadOnlyList<string> choices) => Choices = choices;

    /// <summary>In declaration order.</summary>
    public IReadOnlyList<string> Choices { get; }

    public override string Expected => NodeReader.Alternatives(Choices);

    /// <summary>The members of <typeparamref name="TEnum"/>, by their lower-case names.</summary>
    public static ChoiceType Of<TEnum>()
        where TEnum : struct, Enum => new([.. Enum.GetValues<TEnum>().Select(member => member.LowerName())]);

    public override ParameterValue? Accept(ParameterValue value) =>
        value is StringValue text && Choices.Contains(text.Value, StringComparer.Ordinal) ? value : null;
}

/// <summary>Any non-empty string (<c>dataset</c>); a plain scalar is taken as written, <c>2024</c> included.</summary>
public sealed class TextType : StringParameterType
{
    public override string Expected => "a non-empty string";

    public override ParameterValue? Accept(ParameterValue value) => value is StringValue { Value.Length: > 0 } ? value : null;

    internal override ParameterValue? Convert(ScalarNode scalar) => scalar.IsNull ? null : Accept(new StringValue(scalar.Text));
}

/// <summary>A finite real number &gt; 0 (<c>beta</c>, <c>lr</c>); an integer is taken as the same real.</summary>
public sealed class PositiveRealType : ParameterType
{
    public override string Kind => "real";

    public override string Expected => "a number > 0";

    public override ParameterValue? Accept(ParameterValue value) => value switch
    {
        RealValue { Value: > 0 } => value,
        IntegerValue { Value: > 0 } integer => new RealValue(integer.Value),
        _ => null,
    };

    internal override Refusal? Refuse(NumericDistribution distribution)
    {
        var support = distribution.Support;
        if (support.Min > 0 || (support.Min == 0 && support.MinExcluded)) return null;
        return double.IsInfinity(support.Min)
            ? new Refusal("distribution", $"{distribution.Name} can yield any number; expected {Expected} (log_normal and log_uniform_values stay positive)")
            : new Refusal("min", $"{distribution.Name} can yield {Format(support.Min)}; expected {Expected}");
    }

    internal override bool TakesIntegers(NumericDistribution distribution) => false;
}

/// <summary>An integer from <see cref="Min"/> to <see cref="Max"/>.</summary>
public sealed class IntegerType(long min, long max) : ParameterType
{
    public long Min { get; } = min;

    public long Max { get; } = max;

    public override string Kind => "integer";

    public override string Expected => NodeReader.DescribeIntegers(Min, Max);

    public override ParameterValue? Accept(ParameterValue value) =>
        value is IntegerValue integer && integer.Value >= Min && integer.Value <= Max ? value : null;

    internal override Refusal? Refuse(NumericDistribution distribution)
    {
        if (!distribution.IsIntegral)
        {
            return new Refusal("distribution", $"{distribution.Name} yields fractions; expected {Expected} (use int_uniform, or a q_ distribution with an integer q)");
        }

        var support = distribution.Support;
        if (support.Min < Min) return new Refusal(double.IsInfinity(support.Min) ? "distribution" : "min", $"{distribution.Name} can yield {Format(support.Min)}; expected {Expected}");
        if (support.Max > Max) return new Refusal(double.IsInfinity(support.Max) ? "distribution" : "max", $"{distribution.Name} can yield {Format(support.Max)}; expected {Expected}");
        return null;
    }

    internal override bool TakesIntegers(NumericDistribution distribution) => true;
}

/// <summary>A free-form parameter (<c>x_…</c>, <c>free_parameters</c>): any finite scalar, typed as YAML reads it.</summary>
internal sealed class FreeFormType : ParameterType
{
    public static FreeFormType Instance { get; } = new();

    public override string Kind => "any";

    public override string Expected => "a string, a finite number, true or false";

    public override ParameterValue? Accept(ParameterValue value) => value;

    internal override Refusal? Refuse(NumericDistribution distribution) => null;

    internal override bool TakesIntegers(NumericDistribution distribution) => distribution.Kind == DistributionKind.IntUniform;
}

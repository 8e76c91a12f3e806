using System.Globalization;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>Why a distribution cannot serve a parameter, and which of its keys (min, max, distribution) is to blame.</summary>
internal sealed record Refusal(string Key, string Message);

/// <summary>What values a parameter accepts: the check of each <c>value</c>/<c>values</c> entry and of a distribution.</summary>
internal abstract class ParameterType
{
    /// <summary>What the parameter takes, for messages: <c>a number &gt; 0</c>.</summary>
    public abstract string Expected { get; }

    /// <summary>The value the scalar stands for, or null when the parameter does not take it.</summary>
    public abstract ParameterValue? Convert(ScalarNode scalar);

    /// <summary>Null when every value the distribution yields is acceptable.</summary>
    public abstract Refusal? Refuse(NumericDistribution distribution);

    /// <summary>Whether draws of the distribution become integers.</summary>
    public abstract bool TakesIntegers(NumericDistribution distribution);

    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A string from a fixed set (<c>model</c>, <c>loss</c>, <c>optimizer</c>) or any non-empty string (<c>dataset</c>).</summary>
internal sealed class StringType(IReadOnlyCollection<string>? choices) : ParameterType
{
    public override string Expected => choices is null ? "a non-empty string" : NodeReader.Alternatives(choices);

    public override ParameterValue? Convert(ScalarNode scalar) =>
        !scalar.IsNull && scalar.Text.Length > 0 && (choices is null || choices.Contains(scalar.Text)) ? new StringValue(scalar.Text) : null;

    public override Refusal? Refuse(NumericDistribution distribution) =>
        new("distribution", $"expected `value` or `values` ({Expected}), found distribution {distribution.Name}");

    public override bool TakesIntegers(NumericDistribution distribution) => false;
}

internal sealed class PositiveRealType : ParameterType
{
    public override string Expected => "a number > 0";

    public override ParameterValue? Convert(ScalarNode scalar) =>
        scalar.AsNumber is { } value && double.IsFinite(value) && value > 0 ? new RealValue(value) : null;

    public override Refusal? Refuse(NumericDistribution distribution)
    {
        var support = distribution.Support;
        if (support.Min > 0 || (support.Min == 0 && support.MinExcluded)) return null;
        return double.IsInfinity(support.Min)
            ? new Refusal("distribution", $"{distribution.Name} can yield any number; expected {Expected} (log_normal and log_uniform_values stay positive)")
            : new Refusal("min", $"{distribution.Name} can yield {Format(support.Min)}; expected {Expected}");
    }

    public override bool TakesIntegers(NumericDistribution distribution) => false;
}

internal sealed class IntegerType(long min, long max) : ParameterType
{
    public override string Expected => NodeReader.DescribeIntegers(min, max);

    public override ParameterValue? Convert(ScalarNode scalar) =>
        scalar.AsInteger is { } value && value >= min && value <= max ? new IntegerValue(value) : null;

    public override Refusal? Refuse(NumericDistribution distribution)
    {
        if (!distribution.IsIntegral)
        {
            return new Refusal("distribution", $"{distribution.Name} yields fractions; expected {Expected} (use int_uniform, or a q_ distribution with an integer q)");
        }

        var support = distribution.Support;
        if (support.Min < min) return new Refusal(double.IsInfinity(support.Min) ? "distribution" : "min", $"{distribution.Name} can yield {Format(support.Min)}; expected {Expected}");
        if (support.Max > max) return new Refusal(double.IsInfinity(support.Max) ? "distribution" : "max", $"{distribution.Name} can yield {Format(support.Max)}; expected {Expected}");
        return null;
    }

    public override bool TakesIntegers(NumericDistribution distribution) => true;
}

/// <summary>A free-form parameter: any finite scalar, typed as YAML reads it.</summary>
internal sealed class FreeFormType : ParameterType
{
    public override string Expected => "a string, a finite number, true or false";

    public override ParameterValue? Convert(ScalarNode scalar)
    {
        if (scalar.IsNull) return null;
        if (scalar.AsBoolean is { } boolean) return new BooleanValue(boolean);
        if (scalar.AsInteger is { } integer) return new IntegerValue(integer);
        if (scalar.AsNumber is { } number) return double.IsFinite(number) ? new RealValue(number) : null;
        return new StringValue(scalar.Text);
    }

    public override Refusal? Refuse(NumericDistribution distribution) => null;

    public override bool TakesIntegers(NumericDistribution distribution) => distribution.Kind == DistributionKind.IntUniform;
}

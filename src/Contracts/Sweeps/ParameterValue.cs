using System.Globalization;
using System.Text.Json;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>One scalar of a trial config: a string, an integer, a real number or a boolean.</summary>
public abstract record ParameterValue
{
    private protected ParameterValue()
    {
    }

    /// <summary>The value as a number, for the numeric kinds; null for strings and booleans.</summary>
    public virtual double? AsNumber => null;

    /// <summary>
    /// Reads back what <see cref="WriteJson"/> wrote: a number with a fraction or exponent is a real, any other number
    /// an integer, so a value read has the canonical form of the one written. Null for anything but a scalar.
    /// </summary>
    internal static ParameterValue? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.True => new BooleanValue(true),
        JsonValueKind.False => new BooleanValue(false),
        JsonValueKind.Number when element.GetRawText().AsSpan().IndexOfAny(".eE") < 0 => new IntegerValue(element.GetInt64()),
        JsonValueKind.Number => new RealValue(element.GetDouble()),
        _ => null,
    };

    /// <summary>The value in its canonical JSON form (<see cref="TrialConfig.CanonicalJson"/>).</summary>
    internal abstract void WriteJson(Utf8JsonWriter writer);
}

public sealed record StringValue(string Value) : ParameterValue
{
    public override string ToString() => Value;

    internal override void WriteJson(Utf8JsonWriter writer) => writer.WriteStringValue(Value);
}

public sealed record IntegerValue(long Value) : ParameterValue
{
    public override double? AsNumber => Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    internal override void WriteJson(Utf8JsonWriter writer) => writer.WriteNumberValue(Value);
}

/// <summary>A finite real number.</summary>
public sealed record RealValue : ParameterValue
{
    public RealValue(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "a parameter value must be finite");
        // -0.0 and 0.0 are one value of a parameter; keeping both would give one config two hashes.
        Value = value == 0 ? 0.0 : value;
    }

    public double Value { get; }

    public override double? AsNumber => Value;

    /// <summary>The shortest text that reads back as the same double; an integral value keeps a <c>.0</c>.</summary>
    public override string ToString()
    {
        var text = Value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny(".E") < 0 ? text + ".0" : text;
    }

    // Written as text so that 1.0 stays "1.0" (Utf8JsonWriter would write 1, the canonical form of an integer).
    internal override void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(ToString(), skipInputValidation: true);
}

public sealed record BooleanValue(bool Value) : ParameterValue
{
    public override string ToString() => Value ? "true" : "false";

    internal override void WriteJson(Utf8JsonWriter writer) => writer.WriteBooleanValue(Value);
}

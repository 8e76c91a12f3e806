using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>The values one parameter of a sweep may take.</summary>
public abstract class ParameterDomain
{
    private protected ParameterDomain()
    {
    }

    /// <summary>One line for tables: <c>values: 1, 2, 4</c>, <c>log_uniform_values [1E-05, 0.01]</c>.</summary>
    public abstract string Describe();

    /// <summary>The values the file lists (<c>value</c>, <c>values</c>), which a parameter's <c>requires</c> may name; null for a distribution.</summary>
    internal virtual IReadOnlyList<ParameterValue>? Listed => null;

    internal abstract ParameterValue Sample(Random random);
}

/// <summary>W&amp;B's <c>value</c> (or <c>distribution: constant</c>).</summary>
public sealed class ConstantDomain(ParameterValue value) : ParameterDomain
{
    public ParameterValue Value { get; } = value;

    public override string Describe() => $"value: {Value}";

    internal override IReadOnlyList<ParameterValue> Listed => [Value];

    internal override ParameterValue Sample(Random random) => Value;
}

/// <summary>W&amp;B's <c>values</c> (or <c>distribution: categorical</c>): distinct values, drawn with <see cref="Probabilities"/> or uniformly.</summary>
public sealed class CategoricalDomain(IReadOnlyList<ParameterValue> values, IReadOnlyList<double>? probabilities) : ParameterDomain
{
    public IReadOnlyList<ParameterValue> Values { get; } = values;

    /// <summary>One per value, summing to 1; null for uniform.</summary>
    public IReadOnlyList<double>? Probabilities { get; } = probabilities;

    public override string Describe() => Probabilities is null
        ? $"values: {string.Join(", ", Values)}"
        : $"values: {string.Join(", ", Values.Zip(Probabilities, (value, probability) => $"{value} (p {probability:0.###})"))}";

    internal override IReadOnlyList<ParameterValue> Listed => Values;

    internal override ParameterValue Sample(Random random) =>
        Values[Probabilities is null ? random.Next(Values.Count) : WeightedChoice.Pick(Probabilities, random)];
}

/// <summary>A numeric <c>distribution</c>; integer-valued when the parameter takes integers.</summary>
public sealed class DistributionDomain(NumericDistribution distribution, bool integerValued) : ParameterDomain
{
    public NumericDistribution Distribution { get; } = distribution;

    /// <summary>Whether values are <see cref="IntegerValue"/> (otherwise <see cref="RealValue"/>).</summary>
    public bool IntegerValued { get; } = integerValued;

    public override string Describe() => Distribution.Describe();

    internal override ParameterValue Sample(Random random) => ToValue(Distribution.Sample(random));

    internal ParameterValue ToValue(double number) => IntegerValued ? new IntegerValue((long)Math.Round(number)) : new RealValue(number);
}

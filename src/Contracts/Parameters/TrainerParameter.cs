using System.Globalization;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Contracts.Parameters;

/// <summary>
/// A parameter of the trainer: a <see cref="ParameterDefinition"/> that reads and sets one property of
/// <see cref="TrainingConfig"/>, whose initial value is its default. <c>sweep train</c> has an option for each.
/// </summary>
public abstract class TrainerParameter : ParameterDefinition
{
    private protected TrainerParameter(string name, ParameterType type, string help, ParameterValue? defaultValue, string? defaultNote)
        : base(name, type, help, defaultValue, defaultNote)
    {
    }

    /// <summary>The parameter's value in <paramref name="config"/>; null when not set (the trainer derives it).</summary>
    public abstract ParameterValue? ValueIn(TrainingConfig config);

    /// <summary><paramref name="config"/> with this parameter set to <paramref name="value"/>.</summary>
    /// <exception cref="FormatException">The parameter does not take <paramref name="value"/>; the message names it.</exception>
    public TrainingConfig Apply(TrainingConfig config, ParameterValue value)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Set(config, Accept(value));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when <paramref name="config"/> holds a value it does not take.</summary>
    internal abstract void Check(TrainingConfig config);

    /// <summary>Sets a value <see cref="ParameterDefinition.Type"/> accepted.</summary>
    private protected abstract TrainingConfig Set(TrainingConfig config, ParameterValue accepted);
}

/// <summary>A trainer parameter held in <see cref="TrainingConfig"/> as a <typeparamref name="T"/>.</summary>
/// <param name="toValue">The value a config holds, as a parameter value; null when there is none (not set, or not a finite number).</param>
/// <param name="fromValue">An accepted parameter value, as the config holds it.</param>
internal sealed class TrainerParameter<T>(
    string name,
    ParameterType type,
    string help,
    string? defaultNote,
    Func<TrainingConfig, T> get,
    Func<TrainingConfig, T, TrainingConfig> set,
    Func<T, ParameterValue?> toValue,
    Func<ParameterValue, T> fromValue)
    : TrainerParameter(name, type, help, toValue(get(new TrainingConfig())), defaultNote)
{
    public override ParameterValue? ValueIn(TrainingConfig config) => toValue(get(config));

    internal override void Check(TrainingConfig config)
    {
        var held = get(config);
        bool valid = toValue(held) is { } value ? Type.Accept(value) is not null : held is null;
        if (!valid) throw new ArgumentException(Invalid(Convert.ToString(held, CultureInfo.InvariantCulture) ?? "null"));
    }

    private protected override TrainingConfig Set(TrainingConfig config, ParameterValue accepted) => set(config, fromValue(accepted));
}

using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Parameters;

/// <summary>A parameter a sweep may set by name: its name, what it takes, what it means and what it is when not set.</summary>
public class ParameterDefinition
{
    /// <param name="defaultValue">The value when nothing sets it; null when it is derived (then <paramref name="defaultNote"/> says how).</param>
    internal ParameterDefinition(string name, ParameterType type, string help, ParameterValue? defaultValue, string? defaultNote)
    {
        if (defaultValue is null && defaultNote is null) throw new ArgumentException($"{name}: a parameter without a default value says what stands for it", nameof(defaultNote));
        Name = name;
        Type = type;
        Help = help;
        Default = defaultValue;
        DefaultNote = defaultNote;
    }

    /// <summary>snake_case, as a sweep file and a trial config write it.</summary>
    public string Name { get; }

    public ParameterType Type { get; }

    /// <summary>One line: what the parameter is.</summary>
    public string Help { get; }

    /// <summary>The value when nothing sets it; null when it is derived from other parameters or from the data.</summary>
    public ParameterValue? Default { get; }

    /// <summary>What stands for a missing <see cref="Default"/>: <c>the book's: adam for mlp, rmsprop otherwise</c>.</summary>
    public string? DefaultNote { get; }

    /// <summary>The default in words: the value, or the note.</summary>
    public string DescribeDefault() => Default?.ToString() ?? DefaultNote!;

    /// <summary>The value as this parameter holds it (<see cref="ParameterType.Accept"/>).</summary>
    /// <exception cref="FormatException">The parameter does not take <paramref name="value"/>; the message names it.</exception>
    public ParameterValue Accept(ParameterValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Type.Accept(value) ?? throw new FormatException(Invalid(value.ToString()));
    }

    /// <summary><c>beta: -1 is not valid; expected a number &gt; 0</c>.</summary>
    private protected string Invalid(string value) => $"{Name}: {value} is not valid; expected {Type.Expected}";
}

using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>One parameter of a sweep; <see cref="Name"/> is dotted for nested W&amp;B parameters (<c>x_net.width</c>).</summary>
public sealed record SweepParameter(string Name, ParameterDomain Domain)
{
    private static readonly Dictionary<ParameterValue, IReadOnlyList<string>> None = [];

    /// <summary>
    /// The <see cref="WorkerTags"/> a trial needs when it takes one of the parameter's listed values (<c>requires: {cnn: gpu}</c>),
    /// by value; values without an entry need none.
    /// </summary>
    public IReadOnlyDictionary<ParameterValue, IReadOnlyList<string>> Requires { get; init; } = None;
}

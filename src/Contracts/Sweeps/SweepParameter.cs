namespace SweepRunner.Contracts.Sweeps;

/// <summary>One parameter of a sweep; <see cref="Name"/> is dotted for nested W&amp;B parameters (<c>x_net.width</c>).</summary>
public sealed record SweepParameter(string Name, ParameterDomain Domain);

namespace SweepRunner.Contracts.Sweeps;

/// <summary>The numeric distributions of W&amp;B's sweep format (<c>constant</c> and <c>categorical</c> are domains of their own).</summary>
public enum DistributionKind
{
    IntUniform,
    Uniform,
    QUniform,
    LogUniformValues,
    QLogUniformValues,
    InvLogUniformValues,
    Normal,
    QNormal,
    LogNormal,
}

namespace SweepRunner.Models.Checkpoints;

/// <summary>A checkpoint that cannot be used: not one of ours, damaged, or for other data or another model.</summary>
public sealed class CheckpointException(string source, string problem)
    : Exception($"{source}: {problem}")
{
    /// <summary>The file (or other origin) of the checkpoint.</summary>
    public string Origin { get; } = source;
}

namespace SweepRunner.Contracts.Sweeps;

/// <summary>A sweep file that cannot be used; <see cref="Errors"/> holds every problem found, in file order.</summary>
public sealed class SweepSpecException : Exception
{
    public SweepSpecException(IReadOnlyList<SpecError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<SpecError> Errors { get; }
}

namespace SweepRunner.Cli.Remote;

/// <summary>The coordinator could not be reached or refused a request; <see cref="ExitCode"/> says which (<see cref="ExitCodes"/>).</summary>
internal sealed class CoordinatorException(int exitCode, IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public CoordinatorException(int exitCode, string error)
        : this(exitCode, [error])
    {
    }

    public int ExitCode { get; } = exitCode;

    /// <summary>One line per problem, without the <c>error: </c> prefix.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

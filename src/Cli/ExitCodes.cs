namespace SweepRunner.Cli;

/// <summary>The process exit codes of every <c>sweep</c> command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work itself failed (training diverged, a file could not be written).</summary>
    public const int Failure = 1;

    /// <summary>Options, data or checkpoint given by the user cannot be used.</summary>
    public const int BadInput = 2;

    public const int NotFound = 3;

    public const int Unreachable = 4;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

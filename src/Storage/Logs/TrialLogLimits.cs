namespace SweepRunner.Storage.Logs;

/// <summary>
/// What a trial's log may hold, so that a chatty or looping trial cannot fill the store: a line is cut at
/// <see cref="MaxLineChars"/>; past <see cref="MaxLines"/> lines or <see cref="MaxChars"/> characters a trial's
/// info and warning lines are dropped, with one <see cref="TruncatedMessage"/> line in their place. Errors and the
/// coordinator's lines (a lost lease, a timeout, a retry) are always kept: they are few, one or two per attempt.
/// </summary>
public static class TrialLogLimits
{
    public const int MaxLineChars = 16 * 1024;

    public const int MaxLines = 2000;

    public const int MaxChars = 1024 * 1024;

    public const string TruncatedMessage = "log truncated: the trial has 2000 lines or 1 MiB of text; its further info and warning lines are dropped (errors are kept)";

    private const string CutMarker = "\n… (line truncated)";

    /// <summary><paramref name="message"/>, cut to <see cref="MaxLineChars"/> with a marker saying so.</summary>
    public static string Cut(string message) =>
        message.Length <= MaxLineChars ? message : string.Concat(message.AsSpan(0, MaxLineChars - CutMarker.Length), CutMarker);
}

namespace SweepRunner.Storage.Records;

/// <summary>
/// A row of <c>trial_log_lines</c>: one line of a trial's log, written by the worker that ran an attempt (its start,
/// each epoch, warnings, the full error of a failure) or by the coordinator (a lost lease, a timeout, a retry).
/// </summary>
public sealed class TrialLogRecord
{
    /// <summary>Increases with every line stored (across all trials): a trial's lines in order, and where a reader following the log goes on from.</summary>
    public long Sequence { get; set; }

    public Guid TrialId { get; set; }

    /// <summary>The trial's attempt the line belongs to.</summary>
    public int Attempt { get; set; }

    public DateTime LoggedAt { get; set; }

    public TrialLogLevel Level { get; set; }

    /// <summary>Who wrote it: the worker's slot (<c>host-1/slot-0</c>) or <c>coordinator</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The text, possibly several lines (a stack trace), at most <see cref="Logs.TrialLogLimits.MaxLineChars"/> characters.</summary>
    public required string Message { get; set; }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Logs;

/// <summary>Adds lines to a trial's log inside the caller's unit of work, so that a line and the change it tells of commit together.</summary>
internal static class TrialLogLines
{
    public const string CoordinatorSource = "coordinator";

    /// <summary>Adds a line that is always kept (an error, or a change of the trial's state); saved with the context's next save.</summary>
    public static void AddKept(this SweepDbContext db, Guid trialId, int attempt, TrialLogLevel level, string source, string message, DateTime now) =>
        db.TrialLogLines.Add(new TrialLogRecord
        {
            TrialId = trialId,
            Attempt = attempt,
            LoggedAt = now,
            Level = level,
            Source = source,
            Message = TrialLogLimits.Cut(message),
        });

    /// <summary>
    /// Adds an info or warning line unless the trial's log is full (<see cref="TrialLogLimits"/>); the first line
    /// refused leaves <see cref="TrialLogLimits.TruncatedMessage"/> instead. Returns whether the line was added.
    /// </summary>
    public static async Task<bool> AddCappedAsync(
        this SweepDbContext db, Guid trialId, int attempt, TrialLogLevel level, string source, string message, DateTime now, CancellationToken cancellationToken)
    {
        var size = await db.TrialLogLines.Where(l => l.TrialId == trialId)
            .GroupBy(l => l.TrialId)
            .Select(lines => new { Lines = lines.Count(), Chars = lines.Sum(l => l.Message.Length) })
            .SingleOrDefaultAsync(cancellationToken);
        if (size is null || (size.Lines < TrialLogLimits.MaxLines && size.Chars < TrialLogLimits.MaxChars))
        {
            db.AddKept(trialId, attempt, level, source, message, now);
            return true;
        }
        if (!await db.TrialLogLines.AnyAsync(l => l.TrialId == trialId && l.Message == TrialLogLimits.TruncatedMessage, cancellationToken))
            db.AddKept(trialId, attempt, TrialLogLevel.Warning, source, TrialLogLimits.TruncatedMessage, now);
        return false;
    }
}

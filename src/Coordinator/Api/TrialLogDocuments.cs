using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// A line of a trial's log: <see cref="Sequence"/> orders the lines (pass the last one seen as <c>after</c> to get
/// only newer lines); <see cref="Source"/> is the worker's slot or <c>coordinator</c>; a message may span lines (a
/// stack trace).
/// </summary>
public sealed record TrialLogLineDocument(long Sequence, int Attempt, DateTime Time, string Level, string Source, string Message)
{
    public static TrialLogLineDocument From(TrialLogRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(line.Sequence, line.Attempt, line.LoggedAt, line.Level.LowerName(), line.Source, line.Message);
    }
}

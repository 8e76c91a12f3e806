using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>Which sweeps resume: a cancelled one only. The others are refused with what there is to do instead.</summary>
public static class ResumeRefusal
{
    /// <summary>Why <paramref name="sweep"/> cannot be resumed; null when it can.</summary>
    public static string? For(SweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return sweep.Status switch
        {
            SweepStatus.Cancelled => null,
            SweepStatus.Completed => $"sweep {sweep.Id} is completed: every trial has ended, there is nothing to resume",
            SweepStatus.Failed => $"sweep {sweep.Id} failed: only a cancelled sweep resumes; to run its failed trials again, use sweep retry {sweep.Id} --failed",
            _ => $"sweep {sweep.Id} is {sweep.Status.LowerName()}: nothing to resume",
        };
    }
}

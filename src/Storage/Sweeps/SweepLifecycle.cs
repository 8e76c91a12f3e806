using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Sweeps;

/// <summary>The sweep state machine: pending → running → completed, and cancelled or failed from either; final states stay.</summary>
internal static class SweepLifecycle
{
    public static void Check(SweepRecord sweep, SweepStatus to)
    {
        bool allowed = (sweep.Status, to) switch
        {
            (SweepStatus.Pending, SweepStatus.Running or SweepStatus.Cancelled or SweepStatus.Failed) => true,
            (SweepStatus.Running, SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed) => true,
            _ => false,
        };
        if (!allowed)
            throw new InvalidOperationException($"sweep {sweep.Id} is {sweep.Status.LowerName()}; it cannot become {to.LowerName()}");
    }

    /// <summary>A finished sweep runs again: some of its trials were queued again (a user's retry).</summary>
    public static void Reopen(SweepRecord sweep)
    {
        sweep.Status = SweepStatus.Running;
        sweep.FinishedAt = null;
        sweep.Version++;
    }

    public static void Apply(SweepRecord sweep, SweepStatus to, DateTime now)
    {
        sweep.Status = to;
        if (to != SweepStatus.Running) sweep.FinishedAt = now;
        sweep.Version++;
    }
}

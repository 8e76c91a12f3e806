using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Sweeps;

/// <summary>
/// The sweep state machine: pending → running → completed, and cancelled or failed from either. An ended sweep stays
/// ended unless it is re-opened (<see cref="Reopen"/>): back to running, to go on or to run some of its trials again.
/// </summary>
internal static class SweepLifecycle
{
    /// <summary>The statuses of an ended sweep: the ones it can be re-opened from, or deleted in.</summary>
    public static readonly SweepStatus[] Ended = [SweepStatus.Cancelled, SweepStatus.Completed, SweepStatus.Failed];

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

    /// <summary>Moves an ended sweep back to running: it has not finished any more.</summary>
    public static void Reopen(SweepRecord sweep)
    {
        if (!Ended.Contains(sweep.Status))
            throw new InvalidOperationException($"sweep {sweep.Id} is {sweep.Status.LowerName()}; only an ended sweep can be re-opened");
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

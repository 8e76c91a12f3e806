using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.EarlyStopping;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>What a sweep grain keeps of one of its trials: its config, status, metric curve and final metric.</summary>
internal sealed class TrialProgress(Guid id, int number, TrialConfig config, TrialStatus status)
{
    private readonly List<double> curve = [];

    public Guid Id { get; } = id;

    public int Number { get; } = number;

    public TrialConfig Config { get; } = config;

    public TrialStatus Status { get; set; } = status;

    /// <summary>The sweep metric at the end, when the trial completed or was stopped with metrics.</summary>
    public double? FinalMetric { get; set; }

    public bool Ended => Status is not (TrialStatus.Pending or TrialStatus.Running);

    public MetricCurve Curve => new(curve, Ended);

    /// <summary>Sets the metric of <paramref name="epoch"/>; a replayed epoch (a resumed trial) replaces its value and drops later ones.</summary>
    public void Record(int epoch, double value)
    {
        if (epoch - 1 < curve.Count) curve.RemoveRange(epoch - 1, curve.Count - (epoch - 1));
        // A gap (epochs whose report was lost) is filled with this value so that curve index i stays epoch i + 1.
        while (curve.Count < epoch) curve.Add(value);
    }

    /// <summary>
    /// The epoch of the curve's best value for <paramref name="goal"/>, the latest of equal ones (a gap is filled with
    /// the value of the epoch reported after it, which is the one that has a checkpoint); null before any.
    /// </summary>
    public int? BestEpoch(MetricGoal goal)
    {
        int? best = null;
        for (int i = 0; i < curve.Count; i++)
        {
            if (best is not { } b || goal.Cost(curve[i]) <= goal.Cost(curve[b - 1])) best = i + 1;
        }

        return best;
    }

    /// <summary>For the search: the final metric, else the last epoch's (train metrics exist only per epoch).</summary>
    public ProposedTrial ToProposed() =>
        new(Config, Status is TrialStatus.Completed or TrialStatus.Stopped ? FinalMetric ?? (curve.Count > 0 ? curve[^1] : null) : null);
}

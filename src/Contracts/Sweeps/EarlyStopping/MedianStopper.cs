using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps.EarlyStopping;

/// <summary>
/// The median stopping rule (Google Vizier's; <c>early_terminate: {type: median}</c>, a SweepRunner extension): after
/// epoch e, a trial stops if its best metric so far is worse than the median of the running averages, over their
/// first e epochs, of the finished trials — once at least <see cref="MinTrials"/> have finished and e is past
/// <see cref="GraceEpochs"/>.
/// </summary>
public sealed class MedianStopper(int minTrials, int graceEpochs) : EarlyStopper
{
    public const int DefaultMinTrials = 5;
    public const int DefaultGraceEpochs = 1;

    public int MinTrials { get; } = minTrials;

    public int GraceEpochs { get; } = graceEpochs;

    public override StopDecision Decide(MetricCurve trial, IReadOnlyList<MetricCurve> others, MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(others);
        int epoch = trial.Epochs;
        if (epoch <= GraceEpochs) return StopDecision.Continue($"epoch {epoch} is within the grace period of {GraceEpochs}");

        var finished = others.Where(other => other.Finished && other.Epochs > 0).ToList();
        if (finished.Count < MinTrials) return StopDecision.Continue($"{finished.Count} trials finished; the rule needs {MinTrials}");

        double median = Quantile(finished.Select(other => other.MeanCost(epoch, goal)), 0.5);
        double best = trial.BestCost(epoch, goal);
        return best > median
            ? StopDecision.Stop($"at epoch {epoch} its best {Format(goal.Cost(best))} is worse than the median {Format(goal.Cost(median))} of {finished.Count} finished trials' running averages")
            : StopDecision.Continue($"at epoch {epoch} its best {Format(goal.Cost(best))} is no worse than the median {Format(goal.Cost(median))}");
    }

    public override string Describe() => $"median stopping: once {MinTrials} trials have finished, from epoch {GraceEpochs + 1}";
}

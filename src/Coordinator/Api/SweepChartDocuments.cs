using System.Text.Json;
using SweepRunner.Common;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// A sweep's trials that have final metrics, in number order, with the sweep's metric and goal: the points of the
/// rate–distortion plane and the lines of the parallel coordinates.
/// </summary>
public sealed record SweepPointsDocument(string Metric, string Goal, IReadOnlyList<TrialPointDocument> Points);

/// <summary>One trial's config and final metrics.</summary>
public sealed record TrialPointDocument(
    Guid Id, int Number, string Status, JsonElement Config, double? TestTotal, double? TestRecon, double? TestKl, double? IwaeNll, int? ActiveUnits)
{
    public static TrialPointDocument From(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new(trial.Id, trial.Number, trial.Status.LowerName(), TrialSummary.ConfigOf(trial), trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits);
    }
}

/// <summary>The loss curves of some of a sweep's trials, best first (<see cref="SweepCurves"/> chooses them).</summary>
public sealed record SweepCurvesDocument(IReadOnlyList<TrialCurveDocument> Trials);

/// <summary>One trial's config and its losses after each epoch, by epoch, then split.</summary>
public sealed record TrialCurveDocument(Guid Id, int Number, string Status, JsonElement Config, IReadOnlyList<CurvePointDocument> Epochs)
{
    public static TrialCurveDocument From(TrialRecord trial, IReadOnlyList<EpochMetricRecord> epochs)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(epochs);
        return new(trial.Id, trial.Number, trial.Status.LowerName(), TrialSummary.ConfigOf(trial), [.. epochs.Select(CurvePointDocument.From)]);
    }
}

/// <summary>One split's losses after one epoch.</summary>
public sealed record CurvePointDocument(int Epoch, string Split, double Total, double Recon, double Kl)
{
    public static CurvePointDocument From(EpochMetricRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Epoch, row.Split.LowerName(), row.Total, row.Recon, row.Kl);
    }
}

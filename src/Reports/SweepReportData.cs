using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Reports;

/// <summary>
/// Everything a sweep report shows, read either from the database or from the coordinator's API: the report
/// itself never talks to either, so both paths draw the same page.
/// </summary>
/// <param name="BestTrialNumber">The best trial by the sweep's metric, as <c>sweep best</c> ranks it; null when none has the metric yet.</param>
/// <param name="BestFigures">That trial's stored figures (latent scatter, manifold, samples, loss curves); empty when it has none.</param>
public sealed record SweepReportData(ReportSweep Sweep, IReadOnlyList<ReportTrial> Trials, int? BestTrialNumber, IReadOnlyList<FigureFile> BestFigures);

/// <summary>The sweep as submitted and where it stands; statuses and the goal as the API spells them (lower case).</summary>
public sealed record ReportSweep(
    Guid Id, string Name, string Status, string Method, string Metric, string Goal, string SpecYaml, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// One trial: its canonical config JSON, status, final metrics and per-epoch losses (oldest first); a failed trial's
/// failure class as the API spells it (<c>diverged</c>).
/// </summary>
public sealed record ReportTrial(
    Guid Id,
    int Number,
    string ConfigJson,
    string Status,
    double? TestTotal,
    double? TestRecon,
    double? TestKl,
    double? IwaeNll,
    int? ActiveUnits,
    string? FailureClass,
    string? FailureReason,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyList<EpochReport> Epochs);

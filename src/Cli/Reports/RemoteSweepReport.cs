using SweepRunner.Cli.Remote;
using SweepRunner.Coordinator.Api;
using SweepRunner.Plotting;
using SweepRunner.Reports;

namespace SweepRunner.Cli.Reports;

/// <summary>A sweep's report data asked of a coordinator over its REST API, as any client host can.</summary>
internal static class RemoteSweepReport
{
    public static async Task<SweepReportData> ReadAsync(CoordinatorClient client, Guid sweepId, CancellationToken cancellationToken)
    {
        var detail = await client.GetSweepAsync(sweepId, cancellationToken);
        string spec = await client.GetSpecAsync(sweepId, cancellationToken);
        var trials = new List<ReportTrial>();
        foreach (var summary in await client.ListTrialsAsync(sweepId, cancellationToken))
        {
            var epochs = (await client.GetTrialAsync(summary.Id, cancellationToken)).Epochs;
            trials.Add(Trial(summary, epochs));
        }

        var figures = detail.Best is { } best ? await client.DownloadFiguresAsync(best.Id, "report", cancellationToken) : [];
        var sweep = detail.Sweep;
        var reportSweep = new ReportSweep(sweep.Id, sweep.Name, sweep.Status, sweep.Method, sweep.Metric, sweep.Goal, spec, sweep.CreatedAt, sweep.FinishedAt);
        return new SweepReportData(reportSweep, trials, detail.Best?.Number, figures);
    }

    private static ReportTrial Trial(TrialSummary trial, IReadOnlyList<EpochDocument> epochs) => new(
        trial.Id, trial.Number, trial.Config.GetRawText(), trial.Status,
        trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits, trial.FailureClass, trial.FailureReason, trial.StartedAt, trial.FinishedAt,
        EpochRow.Pair(epochs.Select(EpochDocuments.ToEpochRow)));
}

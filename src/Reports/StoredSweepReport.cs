using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Plotting;
using SweepRunner.Storage;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Reports;

/// <summary>A sweep's report data read straight from its database: the embedded run's SQLite file, or the deployment's PostgreSQL.</summary>
public sealed record StoredSweepReport(SweepStore Sweeps, TrialStore Trials, EpochMetricStore Epochs, TrialFigureStore Figures)
{
    /// <summary>The stores of a host that has the sweep store (<c>AddSweepStorage</c>).</summary>
    public static StoredSweepReport From(IServiceProvider services) => new(
        services.GetRequiredService<SweepStore>(), services.GetRequiredService<TrialStore>(),
        services.GetRequiredService<EpochMetricStore>(), services.GetRequiredService<TrialFigureStore>());

    /// <summary>The stores over <paramref name="contexts"/>, without a host (<c>sweep report --db</c>).</summary>
    public static StoredSweepReport Open(IDbContextFactory<SweepDbContext> contexts) => new(
        new SweepStore(contexts, TimeProvider.System), new TrialStore(contexts, TimeProvider.System),
        new EpochMetricStore(contexts, TimeProvider.System), new TrialFigureStore(contexts, TimeProvider.System));

    /// <summary>The sweep's report data; throws <see cref="RecordNotFoundException"/> when there is no such sweep.</summary>
    public async Task<SweepReportData> ReadAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        var sweep = await Sweeps.GetAsync(sweepId, cancellationToken) ?? throw new RecordNotFoundException("sweep", sweepId);
        var trials = new List<ReportTrial>();
        foreach (var trial in await Trials.ListAllAsync(sweepId, cancellationToken)) trials.Add(Trial(trial, await Epochs.ListAsync(trial.Id, cancellationToken)));

        var best = await Trials.BestAsync(sweepId, MetricNames.RankingColumnOf(sweep.MetricName), sweep.MetricGoal, cancellationToken);
        var figures = new List<FigureFile>();
        if (best is not null)
        {
            foreach (var info in await Figures.ListAsync(best.Id, cancellationToken))
            {
                if (await Figures.GetAsync(best.Id, info.Name, cancellationToken) is { } figure) figures.Add(new FigureFile(figure.Name, figure.Png));
            }
        }
        var reportSweep = new ReportSweep(sweep.Id, sweep.Name, sweep.Status.LowerName(), sweep.Method, sweep.MetricName,
            sweep.MetricGoal.LowerName(), sweep.SpecYaml, sweep.CreatedAt, sweep.FinishedAt);
        return new SweepReportData(reportSweep, trials, best?.Number, figures);
    }

    private static ReportTrial Trial(TrialRecord trial, IReadOnlyList<EpochMetricRecord> epochs) => new(
        trial.Id, trial.Number, trial.ConfigJson, trial.Status.LowerName(),
        trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits, trial.FailureClass?.LowerName(), trial.FailureReason, trial.StartedAt, trial.FinishedAt,
        EpochRow.Pair(epochs.Select(EpochRow.From)));
}

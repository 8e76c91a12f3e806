using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests.Metrics;

public sealed class TrialSeriesTests : IDisposable
{
    private static readonly Guid SweepId = Guid.Parse("2d871e87-3517-4bf7-b154-74455737127f");
    private static readonly TrialLabels Labels = new(SweepId, "betas", 3, "cnn", "mse", "4");

    private readonly MeasuredValues values = new();
    private readonly ManualClock clock = new();
    private readonly TrialSeries series;

    public TrialSeriesTests() =>
        series = new TrialSeries(values.Meters, Options.Create(new CoordinatorOptions { FinishedSeriesRetention = TimeSpan.FromHours(1) }), clock);

    [Fact]
    public void A_report_is_measured_per_split_with_the_trials_labels()
    {
        var trial = Guid.NewGuid();
        series.Report(Labels, Result(trial, epoch: 2));

        var measured = values.Observe();

        var total = measured.Where(m => m.Instrument == "sweeprunner_trial_total_loss").OrderBy(m => m["split"]).ToList();
        Assert.Equal([("test", 110.0), ("train", 100.0)], total.Select(m => (m["split"]!, m.Value)));
        Assert.Equal(
            new Dictionary<string, string> { ["sweep"] = SweepId.ToString(), ["sweep_name"] = "betas", ["trial"] = "3", ["model"] = "cnn", ["loss"] = "mse", ["beta"] = "4", ["split"] = "test" },
            total[0].Labels);
        Assert.Equal([("test", 101.0), ("train", 91.0)], Split(measured, "sweeprunner_trial_reconstruction_loss"));
        Assert.Equal([("test", 9.0), ("train", 9.0)], Split(measured, "sweeprunner_trial_kl"));
        var dims = measured.Where(m => m.Instrument == "sweeprunner_trial_latent_kl").OrderBy(m => m["dim"]).ToList();
        Assert.Equal([("0", 6.0), ("1", 3.0), ("2", 0.004)], dims.Select(m => (m["dim"]!, m.Value)));
        Assert.All(dims, m => Assert.Equal("test", m["split"]));
        Assert.Equal([("test", 2.0)], Split(measured, "sweeprunner_trial_active_units"));
        Assert.Equal([("train", 5000.0)], Split(measured, "sweeprunner_trial_samples_per_second"));
        var epoch = Assert.Single(measured, m => m.Instrument == "sweeprunner_trial_epoch");
        Assert.Equal((2.0, null), (epoch.Value, epoch["split"]));
        Assert.DoesNotContain(measured, m => m.Instrument == "sweeprunner_trial_iwae_nll");
    }

    [Fact]
    public void The_latest_report_replaces_the_one_before()
    {
        var trial = Guid.NewGuid();
        series.Report(Labels, Result(trial, epoch: 1));
        series.Report(Labels, Result(trial, epoch: 2) with { Test = new EpochLosses(90, 80, 10) });

        var measured = values.Observe();

        Assert.Equal(2.0, Assert.Single(measured, m => m.Instrument == "sweeprunner_trial_epoch").Value);
        Assert.Equal([("test", 90.0), ("train", 100.0)], Split(measured, "sweeprunner_trial_total_loss"));
    }

    [Fact]
    public void An_ended_trial_keeps_its_series_and_its_iwae_nll_for_the_retention_then_they_go()
    {
        var ended = Guid.NewGuid();
        var running = Guid.NewGuid();
        series.Report(Labels, Result(ended, epoch: 3));
        series.Report(Labels with { Trial = 4 }, Result(running, epoch: 1));
        series.End(ended, iwaeNll: 95.5);

        clock.Advance(TimeSpan.FromMinutes(59));
        var within = values.Observe();
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = values.Observe();
        series.Prune();
        series.End(ended, iwaeNll: 1);
        var pruned = values.Observe();

        Assert.Equal([("test", 95.5)], Split(within, "sweeprunner_trial_iwae_nll"));
        Assert.Equal(["3", "4"], Trials(within, "sweeprunner_trial_epoch"));
        Assert.Equal(["4"], Trials(after, "sweeprunner_trial_epoch"));
        Assert.DoesNotContain(after, m => m.Instrument == "sweeprunner_trial_iwae_nll");
        Assert.Equal(["4"], Trials(pruned, "sweeprunner_trial_epoch"));
    }

    [Fact]
    public void Labels_fill_in_the_trainers_defaults_for_what_the_sweep_leaves_out()
    {
        var labels = TrialLabels.For(SweepId, "betas", 7, TrialConfig.FromCanonicalJson("""{"beta":0.5,"seed":1}"""));

        Assert.Equal(new TrialLabels(SweepId, "betas", 7, "mlp", "bce", "0.5"), labels);
    }

    public void Dispose() => values.Dispose();

    private static EpochResult Result(Guid trial, int epoch) =>
        new(trial, Guid.NewGuid(), epoch, new EpochLosses(100, 91, 9), new EpochLosses(110, 101, 9), new EpochLatents([6, 3, 0.004], 2), 5000);

    private static IEnumerable<(string Split, double Value)> Split(IEnumerable<Measured> measured, string instrument) =>
        measured.Where(m => m.Instrument == instrument).Select(m => (m["split"]!, m.Value)).OrderBy(pair => pair.Item1, StringComparer.Ordinal);

    private static IEnumerable<string> Trials(IEnumerable<Measured> measured, string instrument) =>
        measured.Where(m => m.Instrument == instrument).Select(m => m["trial"]!).Order(StringComparer.Ordinal);
}

using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Reports;

/// <summary>
/// A trial as the report reads it: its config decoded as the worker decodes it (<see cref="TrainerParameters"/>), so
/// the trainer's defaults stand in for what the sweep left out (β = 1, mlp, bce), and the value of the sweep's metric.
/// </summary>
internal sealed class TrialView
{
    public TrialView(ReportTrial trial, string metric)
    {
        Trial = trial;
        Config = TrialConfig.FromCanonicalJson(trial.ConfigJson);
        Training = TrainerParameters.ToTrainingConfig(Config);
        Beta = Training.Beta;
        Model = TrainerParameters.Model.ValueIn(Training)!.ToString();
        Loss = TrainerParameters.Loss.ValueIn(Training)!.ToString();
        Seed = TrainerParameters.Seed.ValueIn(Training)!.ToString();
        MetricValue = ValueOf(trial, metric);
    }

    public ReportTrial Trial { get; }

    public TrialConfig Config { get; }

    /// <summary>The training config the trial ran with: its config over the trainer's defaults.</summary>
    public TrainingConfig Training { get; }

    public double Beta { get; }

    /// <summary>mlp, cnn or cvae.</summary>
    public string Model { get; }

    /// <summary>bce or mse.</summary>
    public string Loss { get; }

    public string Seed { get; }

    /// <summary>"mlp / bce": what the rate–distortion plane tells apart by marker.</summary>
    public string ModelAndLoss => $"{Model} / {Loss}";

    /// <summary>The sweep's metric for this trial: a final metric, or a train metric's last epoch; null when not reached.</summary>
    public double? MetricValue { get; }

    /// <summary>Wall time of the trial's last attempt, from its start to its end.</summary>
    public TimeSpan? Duration => Trial.StartedAt is { } started && Trial.FinishedAt is { } finished ? finished - started : null;

    /// <summary>The config without its seed, as canonical JSON: trials that share it differ only by seed.</summary>
    public string ConfigWithoutSeed =>
        new TrialConfig(Config.Values.Where(pair => pair.Key != TrainerParameterNames.Seed)).CanonicalJson;

    private static double? ValueOf(ReportTrial trial, string metric)
    {
        if (MetricNames.Resolve(metric) is not { } name || MetricNames.SourceOf(name) is not { } source) return null;
        if (source.Final is { } final)
            return FinalMetrics.Of(trial.TestTotal, trial.TestRecon, trial.TestKl, trial.IwaeNll, trial.ActiveUnits)?.Value(final);
        // A train metric: only the epochs have it.
        return source.Epoch is { } loss && trial.Epochs.Count > 0 ? trial.Epochs[^1].Train.Of(loss.Term) : null;
    }
}

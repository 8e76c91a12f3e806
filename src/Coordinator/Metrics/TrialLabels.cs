using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// The labels of a trial's series: which sweep (id and name), which trial, and the three values its comparisons are
/// made by (model, loss, β; the trainer's defaults where the sweep leaves them out).
/// </summary>
public sealed record TrialLabels(Guid SweepId, string SweepName, int Trial, string Model, string Loss, string Beta)
{
    public static TrialLabels For(Guid sweepId, string sweepName, int trial, TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var training = TrainerParameters.ToTrainingConfig(config);
        return new TrialLabels(sweepId, sweepName, trial, training.Model.LowerName(), training.Loss.LowerName(), training.Beta.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>The labels as tags, followed by <paramref name="more"/>.</summary>
    public KeyValuePair<string, object?>[] Tags(params ReadOnlySpan<KeyValuePair<string, object?>> more) =>
    [
        new("sweep", SweepId.ToString()),
        new("sweep_name", SweepName),
        new("trial", Trial.ToString(CultureInfo.InvariantCulture)),
        new("model", Model),
        new("loss", Loss),
        new("beta", Beta),
        .. more,
    ];
}

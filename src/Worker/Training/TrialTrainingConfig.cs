using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Worker.Training;

/// <summary>A trial's config as the trainer takes it: the training config and the data set to train on.</summary>
/// <param name="Dataset">Null or <see cref="TrainerParameters.BundledDataset"/>: the bundled MNIST; else a folder of IDX files (<see cref="Models.Data.DatasetRoots"/>).</param>
public sealed record TrialTrainingConfig(TrainingConfig Training, string? Dataset)
{
    /// <summary>
    /// Reads a trial's config (canonical JSON, snake_case names as in the sweep file) with the trainer parameters'
    /// schema (<see cref="TrainerParameters.ToTrainingConfig"/>): names it does not set keep their defaults, free-form
    /// <c>x_</c> parameters are not the trainer's.
    /// </summary>
    /// <exception cref="FormatException">A value the trainer cannot use, naming the parameter.</exception>
    public static TrialTrainingConfig FromJson(string configJson)
    {
        var config = TrialConfig.FromCanonicalJson(configJson);
        string? dataset = config.TryGetValue(TrainerParameters.Dataset.Name, out var value) ? TrainerParameters.Dataset.Accept(value).ToString() : null;
        return new TrialTrainingConfig(TrainerParameters.ToTrainingConfig(config), dataset);
    }
}

using System.Globalization;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;

namespace SweepRunner.Worker.Training;

/// <summary>A trial's config as the trainer takes it: the training config and the data set to train on.</summary>
/// <param name="Dataset">Null or <see cref="BundledDataset"/>: the bundled MNIST; else a folder of IDX files.</param>
public sealed record TrialTrainingConfig(TrainingConfig Training, string? Dataset)
{
    public const string BundledDataset = "mnist";

    /// <summary>
    /// Maps a trial's config (canonical JSON, snake_case names as in the sweep file) onto <see cref="TrainingConfig"/>;
    /// names it does not set keep <c>sweep train</c>'s defaults, free-form <c>x_</c> parameters are not the trainer's.
    /// </summary>
    /// <exception cref="FormatException">A value the trainer cannot use, naming the parameter.</exception>
    public static TrialTrainingConfig FromJson(string configJson)
    {
        var config = TrialConfig.FromCanonicalJson(configJson);
        var training = new TrainingConfig();
        string? dataset = null;
        foreach (var (name, value) in config.Values)
        {
            training = name switch
            {
                TrainerParameterNames.Model => training with { Model = Enumerated<ModelKind>(name, value) },
                TrainerParameterNames.Loss => training with { Loss = Enumerated<ReconstructionLoss>(name, value) },
                TrainerParameterNames.Beta => training with { Beta = Number(name, value) },
                TrainerParameterNames.LatentDim => training with { LatentDim = Integer(name, value) },
                TrainerParameterNames.Epochs => training with { Epochs = Integer(name, value) },
                TrainerParameterNames.BatchSize => training with { BatchSize = Integer(name, value) },
                TrainerParameterNames.LearningRate => training with { LearningRate = Number(name, value) },
                TrainerParameterNames.Optimizer => training with { Optimizer = Enumerated<OptimizerKind>(name, value) },
                TrainerParameterNames.Seed => training with { Seed = Integer(name, value) },
                TrainerParameterNames.TrainLimit => training with { TrainLimit = Integer(name, value) },
                _ => training,
            };
            if (name == TrainerParameterNames.Dataset) dataset = value.ToString();
        }
        try
        {
            training.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        return new TrialTrainingConfig(training, dataset);
    }

    private static TEnum Enumerated<TEnum>(string name, ParameterValue value)
        where TEnum : struct, Enum =>
        value is StringValue text && Enum.TryParse<TEnum>(text.Value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw Invalid(name, value, string.Join(" or ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())));

    private static double Number(string name, ParameterValue value) => value.AsNumber ?? throw Invalid(name, value, "a number");

    private static int Integer(string name, ParameterValue value) =>
        value is IntegerValue { Value: >= int.MinValue and <= int.MaxValue } integer ? (int)integer.Value : throw Invalid(name, value, "an integer");

    private static FormatException Invalid(string name, ParameterValue value, string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{name}: {value} is not valid; expected {expected}"));
}

using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Contracts.Parameters;

/// <summary>
/// The trainer's parameters, each defined once: the sweep parser checks values and distributions with their types,
/// the worker decodes trial configs with <see cref="ToTrainingConfig"/>, <c>sweep train</c> makes its options from
/// them, the report reads configs with their defaults, and the API lists them (<c>GET /api/parameters</c>).
/// Adding one is one entry in <see cref="All"/> (docs/architecture.md).
/// </summary>
public static class TrainerParameters
{
    /// <summary>The <see cref="Dataset"/> that stands for the copy of MNIST in the repository.</summary>
    public const string BundledDataset = "mnist";

    private static readonly IntegerType AtLeastOne = new(1, int.MaxValue);
    private static readonly PositiveRealType PositiveReal = new();

    private static readonly Dictionary<string, TrainerParameter> ByName;
    private static readonly Dictionary<string, ParameterDefinition> KnownByName;

    static TrainerParameters()
    {
        All =
        [
            Model = Choice(TrainerParameterNames.Model, "Architecture: the book's MLP, its CNN, or the CNN conditioned on the digit", c => c.Model, (c, v) => c with { Model = v }),
            Loss = Choice(TrainerParameterNames.Loss, "Reconstruction loss: binary cross-entropy or mean squared error", c => c.Loss, (c, v) => c with { Loss = v }),
            Beta = Real(TrainerParameterNames.Beta, "Weight of the KL term (1: the plain VAE)", c => c.Beta, (c, v) => c with { Beta = v }),
            Integer(TrainerParameterNames.LatentDim, AtLeastOne, "Size of the latent space", c => c.LatentDim, (c, v) => c with { LatentDim = v }),
            Epochs = Integer(TrainerParameterNames.Epochs, AtLeastOne, "Total epochs of the run (resuming a checkpoint: including its epochs)", c => c.Epochs, (c, v) => c with { Epochs = v }),
            Integer(TrainerParameterNames.BatchSize, AtLeastOne, "Training batch size", c => c.BatchSize, (c, v) => c with { BatchSize = v }),
            Real(TrainerParameterNames.LearningRate, "Learning rate", c => c.LearningRate, (c, v) => c with { LearningRate = v }),
            OptionalChoice(TrainerParameterNames.Optimizer, "Optimizer", "the book's: adam for mlp, rmsprop otherwise", c => c.Optimizer, (c, v) => c with { Optimizer = v }),
            Seed = Integer(TrainerParameterNames.Seed, new IntegerType(int.MinValue, int.MaxValue), "Seed of every random draw of the run", c => c.Seed, (c, v) => c with { Seed = v }),
            OptionalInteger(TrainerParameterNames.TrainLimit, AtLeastOne, "Train on this many training images only, the first ones", "all", c => c.TrainLimit, (c, v) => c with { TrainLimit = v }),
        ];
        Known = [.. All, Dataset];
        ByName = All.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
        KnownByName = Known.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
    }

    /// <summary>Every parameter that sets <see cref="TrainingConfig"/>, in the order <c>sweep train --help</c> lists them.</summary>
    public static IReadOnlyList<TrainerParameter> All { get; }

    /// <summary>The data set a trial trains on: a sweep parameter and sweep-level key, not part of <see cref="TrainingConfig"/> (<c>sweep train --data</c>).</summary>
    public static ParameterDefinition Dataset { get; } = new(
        TrainerParameterNames.Dataset, new TextType(), "MNIST (`mnist`, the bundled copy) or a folder of IDX files", new StringValue(BundledDataset), null);

    /// <summary><see cref="All"/> and <see cref="Dataset"/>: every name a sweep's parameters may use without declaring it free-form.</summary>
    public static IReadOnlyList<ParameterDefinition> Known { get; }

    public static TrainerParameter Model { get; }

    public static TrainerParameter Loss { get; }

    public static TrainerParameter Beta { get; }

    public static TrainerParameter Epochs { get; }

    public static TrainerParameter Seed { get; }

    /// <summary>The trainer parameter called <paramref name="name"/>; null for any other name.</summary>
    public static TrainerParameter? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The parameter of <see cref="Known"/> called <paramref name="name"/>; null for any other name.</summary>
    public static ParameterDefinition? FindKnown(string name) => KnownByName.GetValueOrDefault(name);

    /// <summary>
    /// The training config of a trial: its trainer parameters applied to the defaults; other names (the dataset,
    /// free-form parameters) are not the trainer's and are left out.
    /// </summary>
    /// <exception cref="FormatException">A value a parameter does not take, naming the parameter.</exception>
    public static TrainingConfig ToTrainingConfig(TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var training = new TrainingConfig();
        foreach (var (name, value) in config.Values)
        {
            if (Find(name) is { } parameter) training = parameter.Apply(training, value);
        }

        return training;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter whose value in <paramref name="config"/> it does not take.</summary>
    internal static void Check(TrainingConfig config)
    {
        foreach (var parameter in All) parameter.Check(config);
    }

    private static TrainerParameter<double> Real(string name, string help, Func<TrainingConfig, double> get, Func<TrainingConfig, double, TrainingConfig> set) =>
        new(name, PositiveReal, help, null, get, set, value => double.IsFinite(value) ? new RealValue(value) : null, value => ((RealValue)value).Value);

    private static TrainerParameter<int> Integer(string name, IntegerType type, string help, Func<TrainingConfig, int> get, Func<TrainingConfig, int, TrainingConfig> set) =>
        new(name, type, help, null, get, set, value => new IntegerValue(value), ToInt32);

    private static TrainerParameter<int?> OptionalInteger(
        string name, IntegerType type, string help, string defaultNote, Func<TrainingConfig, int?> get, Func<TrainingConfig, int?, TrainingConfig> set) =>
        new(name, type, help, defaultNote, get, set, value => value is { } number ? new IntegerValue(number) : null, value => ToInt32(value));

    private static TrainerParameter<TEnum> Choice<TEnum>(string name, string help, Func<TrainingConfig, TEnum> get, Func<TrainingConfig, TEnum, TrainingConfig> set)
        where TEnum : struct, Enum =>
        new(name, ChoiceType.Of<TEnum>(), help, null, get, set, value => ChoiceValue(value), ToEnum<TEnum>);

    private static TrainerParameter<TEnum?> OptionalChoice<TEnum>(
        string name, string help, string defaultNote, Func<TrainingConfig, TEnum?> get, Func<TrainingConfig, TEnum?, TrainingConfig> set)
        where TEnum : struct, Enum =>
        new(name, ChoiceType.Of<TEnum>(), help, defaultNote, get, set, value => value is { } member ? ChoiceValue(member) : null, value => ToEnum<TEnum>(value));

    // The types' ranges keep integer parameters within int (Accept has checked the value).
    private static int ToInt32(ParameterValue value) => checked((int)((IntegerValue)value).Value);

    private static StringValue ChoiceValue<TEnum>(TEnum member)
        where TEnum : struct, Enum => new(member.LowerName());

    private static TEnum ToEnum<TEnum>(ParameterValue value)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(((StringValue)value).Value, ignoreCase: true);
}

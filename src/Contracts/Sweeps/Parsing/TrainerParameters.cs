namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>The type of each parameter the trainer understands; the ranges are those of <c>sweep train</c>'s options.</summary>
internal static class TrainerParameters
{
    private static readonly IntegerType AtLeastOne = new(1, int.MaxValue);
    private static readonly PositiveRealType PositiveReal = new();

    public static IReadOnlyDictionary<string, ParameterType> Types { get; } = new Dictionary<string, ParameterType>(StringComparer.Ordinal)
    {
        [TrainerParameterNames.Model] = new StringType(["mlp", "cnn", "cvae"]),
        [TrainerParameterNames.Loss] = new StringType(["bce", "mse"]),
        [TrainerParameterNames.Beta] = PositiveReal,
        [TrainerParameterNames.LatentDim] = AtLeastOne,
        [TrainerParameterNames.Epochs] = AtLeastOne,
        [TrainerParameterNames.BatchSize] = AtLeastOne,
        [TrainerParameterNames.LearningRate] = PositiveReal,
        [TrainerParameterNames.Optimizer] = new StringType(["adam", "rmsprop"]),
        [TrainerParameterNames.Seed] = new IntegerType(int.MinValue, int.MaxValue),
        [TrainerParameterNames.TrainLimit] = AtLeastOne,
        [TrainerParameterNames.Dataset] = new StringType(null),
    };

    public static ParameterType FreeForm { get; } = new FreeFormType();
}

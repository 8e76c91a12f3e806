using System.Text.Json.Serialization;
using SweepRunner.Contracts.Parameters;

namespace SweepRunner.Contracts.Training;

/// <summary>
/// Everything that determines one training run; stored in every checkpoint. Each property is a trainer parameter
/// (<see cref="TrainerParameters"/>), and its initial value is that parameter's default.
/// </summary>
public sealed record TrainingConfig
{
    public ModelKind Model { get; init; } = ModelKind.Mlp;
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.Bce;
    public double Beta { get; init; } = 1.0;
    public int LatentDim { get; init; } = 2;
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 128;

    /// <summary>Learning rate; 1e-3 (the book's, for both optimizers) when not set.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Optimizer; when not set, the book's choice for the model (Adam for mlp, RMSprop otherwise).</summary>
    public OptimizerKind? Optimizer { get; init; }

    public int Seed { get; init; }

    /// <summary>Use only the first N training images (null: all).</summary>
    public int? TrainLimit { get; init; }

    [JsonIgnore]
    public OptimizerKind EffectiveOptimizer => Optimizer ?? (Model == ModelKind.Mlp ? OptimizerKind.Adam : OptimizerKind.Rmsprop);

    /// <summary>This config with what the trainer derives when not set filled in: the optimizer the model implies.</summary>
    public TrainingConfig Resolved() => this with { Optimizer = EffectiveOptimizer };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that holds a value its parameter does not take.</summary>
    public void Validate() => TrainerParameters.Check(this);
}

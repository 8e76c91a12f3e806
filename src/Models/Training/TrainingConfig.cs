using System.Text.Json.Serialization;
using SweepRunner.Models.Vae;

namespace SweepRunner.Models.Training;

/// <summary>Everything that determines one training run; stored in every checkpoint.</summary>
public sealed record TrainingConfig
{
    public const int DefaultBatchSize = 128;
    public const double DefaultLearningRate = 1e-3;

    public ModelKind Model { get; init; } = ModelKind.Mlp;
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.Bce;
    public double Beta { get; init; } = 1.0;
    public int LatentDim { get; init; } = 2;
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Learning rate; 1e-3 (the book's, for both optimizers) when not set.</summary>
    public double LearningRate { get; init; } = DefaultLearningRate;

    /// <summary>Optimizer; when not set, the book's choice for the model (Adam for mlp, RMSprop otherwise).</summary>
    public OptimizerKind? Optimizer { get; init; }

    public int Seed { get; init; }

    /// <summary>Use only the first N training images (null: all).</summary>
    public int? TrainLimit { get; init; }

    [JsonIgnore]
    public OptimizerKind EffectiveOptimizer => Optimizer ?? (Model == ModelKind.Mlp ? OptimizerKind.Adam : OptimizerKind.Rmsprop);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Model)) throw Invalid("model", Model, "mlp, cnn or cvae");
        if (!Enum.IsDefined(Loss)) throw Invalid("loss", Loss, "bce or mse");
        if (!double.IsFinite(Beta) || Beta <= 0) throw Invalid("beta", Beta, "a finite number > 0");
        if (LatentDim < 1) throw Invalid("latent_dim", LatentDim, "an integer >= 1");
        if (Epochs < 1) throw Invalid("epochs", Epochs, "an integer >= 1");
        if (BatchSize < 1) throw Invalid("batch_size", BatchSize, "an integer >= 1");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) throw Invalid("lr", LearningRate, "a finite number > 0");
        if (Optimizer is { } optimizer && !Enum.IsDefined(optimizer)) throw Invalid("optimizer", optimizer, "adam or rmsprop");
        if (TrainLimit is < 1) throw Invalid("train_limit", TrainLimit, "an integer >= 1");
    }

    private static ArgumentException Invalid(string field, object? value, string expected) =>
        new($"{field}: {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)} is not valid; expected {expected}");
}

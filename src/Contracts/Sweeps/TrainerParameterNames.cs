namespace SweepRunner.Contracts.Sweeps;

/// <summary>The names of the trainer parameters that code refers to; their definitions are <see cref="Parameters.TrainerParameters"/>.</summary>
public static class TrainerParameterNames
{
    public const string Model = "model";
    public const string Loss = "loss";
    public const string Beta = "beta";
    public const string LatentDim = "latent_dim";
    public const string Epochs = "epochs";
    public const string BatchSize = "batch_size";
    public const string LearningRate = "lr";
    public const string Optimizer = "optimizer";
    public const string Seed = "seed";
    public const string TrainLimit = "train_limit";

    /// <summary>MNIST (<c>mnist</c>, the bundled copy) or a folder of IDX files; a sweep-level key that a parameter may vary.</summary>
    public const string Dataset = "dataset";

    /// <summary>Parameters whose first name segment starts with this are free-form: passed through, not checked.</summary>
    public const string FreeFormPrefix = "x_";
}

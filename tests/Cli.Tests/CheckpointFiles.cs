using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Cli.Tests;

/// <summary>Checkpoints made without a dataset or training, for commands that check them or only decode.</summary>
public static class CheckpointFiles
{
    /// <summary>A checkpoint of <paramref name="config"/> at epoch 0 holding <paramref name="modelState"/> and no optimizer state.</summary>
    public static string Save(string path, TrainingConfig config, byte[] modelState)
    {
        var metadata = new CheckpointMetadata
        {
            Config = config,
            Epoch = 0,
            DatasetHash = new string('0', 64),
            ShuffleGeneratorState = [],
            NoiseGeneratorState = [],
            History = [],
        };
        new Checkpoint(metadata, modelState, []).Save(path);
        return path;
    }

    /// <summary>A checkpoint of a freshly initialised model.</summary>
    public static string SaveUntrained(string path, ModelKind kind, int latentDim = 2)
    {
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(kind, latentDim, generator);
        using var state = new MemoryStream();
        model.save(state);
        return Save(path, new TrainingConfig { Model = kind, LatentDim = latentDim }, state.ToArray());
    }
}

using SweepRunner.Contracts.Training;
using SweepRunner.Models.Data;
using SweepRunner.Models.Training;

namespace SweepRunner.Models.Tests.Figures;

/// <summary>An MLP trained for 2 epochs on 2,000 images, drawn by every figure test of a class.</summary>
public sealed class TrainedMlpFixture : IDisposable
{
    public TrainedMlpFixture()
    {
        Trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 2, TrainLimit = 2000, Seed = 1 }, MnistDataset.Load(MnistDataset.FindBundled()));
        Trainer.Train();
    }

    public VaeTrainer Trainer { get; }

    public void Dispose() => Trainer.Dispose();
}

using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;

namespace SweepRunner.Models.Tests.Checkpoints;

[Collection(MnistTrainingGroup.Name)]
public sealed class CheckpointTests(BundledMnistFixture mnist) : IDisposable
{
    private readonly MnistDataset dataset = mnist.Dataset;
    private readonly TempDirectory temp = new();

    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Cnn)]
    [InlineData(ModelKind.Cvae)]
    public void Resuming_after_one_epoch_ends_bit_identical_to_two_straight_epochs(ModelKind kind)
    {
        // Four batches of 64: enough for the optimizer's moments and both generators to carry state across epochs. A
        // few hundred test images keep the per-epoch evaluation cheap.
        IdxFixtures.WriteBundledSubset(temp.Path, trainCount: 256, testCount: 256);
        var subset = MnistDataset.Load(temp.Path);
        var config = new TrainingConfig { Model = kind, Epochs = 2, BatchSize = 64, Seed = 3 };
        using var straight = VaeTrainer.Start(config, subset);
        straight.Train();

        // As `sweep train --weights` and a worker resuming a lost trial do: a file written after epoch 1, loaded
        // into a trainer that never saw the first.
        string path = Path.Combine(temp.Path, "checkpoint");
        using (var first = VaeTrainer.Start(config with { Epochs = 1 }, subset))
        {
            first.Train();
            first.CreateCheckpoint().Save(path);
        }
        using var resumed = VaeTrainer.Resume(Checkpoint.Load(path), subset, epochs: 2);
        Assert.Equal(1, resumed.CompletedEpochs);
        resumed.Train();

        using (TorchSharp.torch.NewDisposeScope())
        {
            var parameters = straight.Model.named_parameters().ToList();
            Assert.Equal(parameters.Select(p => p.name), resumed.Model.named_parameters().Select(p => p.name));
            Assert.All(parameters.Zip(resumed.Model.named_parameters()), pair =>
                Assert.True(pair.First.parameter.equal(pair.Second.parameter).all().item<bool>(), $"{pair.First.name} differs after the resumed epoch"));
        }
        // Byte for byte, so also bitwise (equal values can differ in bits, e.g. 0 and -0).
        var (straightEnd, resumedEnd) = (straight.CreateCheckpoint(), resumed.CreateCheckpoint());
        Assert.Equal(straightEnd.ModelState, resumedEnd.ModelState);
        Assert.Equal(straightEnd.OptimizerState, resumedEnd.OptimizerState);
        Assert.Equal(straightEnd.Metadata.ShuffleGeneratorState, resumedEnd.Metadata.ShuffleGeneratorState);
        Assert.Equal(straightEnd.Metadata.NoiseGeneratorState, resumedEnd.Metadata.NoiseGeneratorState);
        Assert.Equal(straight.History[^1].Test, resumed.History[^1].Test);
    }

    [Fact]
    public void Save_and_load_round_trip_bit_identically()
    {
        using var trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 1, TrainLimit = 500, Beta = 2.5, Seed = 9 }, dataset);
        trainer.Train();
        var original = trainer.CreateCheckpoint();
        string path = Path.Combine(temp.Path, "checkpoint");
        original.Save(path);
        byte[] saved = File.ReadAllBytes(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal(saved, loaded.ToBytes());
        Assert.Equal(original.Metadata.Config, loaded.Metadata.Config);
        Assert.Equal(1, loaded.Metadata.Epoch);
        Assert.Equal(dataset.ContentHash, loaded.Metadata.DatasetHash);

        // Restoring the state into a trainer and saving again gives back the same bytes: nothing is lost.
        using var resumed = VaeTrainer.Resume(loaded, dataset);
        Assert.Equal(saved, resumed.CreateCheckpoint().ToBytes());
    }

    [Fact]
    public void Loaded_model_decodes_like_the_trained_one()
    {
        using var trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 1, TrainLimit = 500 }, dataset);
        trainer.Train();
        using var model = trainer.CreateCheckpoint().LoadModel("memory");
        using var z = TorchSharp.torch.randn(3, 2);
        using var expected = trainer.Model.DecodeLogits(z, null);
        using var actual = model.DecodeLogits(z, null);
        Assert.True(expected.allclose(actual));
    }

    [Fact]
    public void A_flipped_byte_is_reported_as_corruption()
    {
        using var trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 1, TrainLimit = 200 }, dataset);
        trainer.Train();
        byte[] bytes = trainer.CreateCheckpoint().ToBytes();
        bytes[bytes.Length / 2] ^= 0x40;
        string path = Path.Combine(temp.Path, "damaged");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_file_is_not_taken_for_a_checkpoint()
    {
        string path = Path.Combine(temp.Path, "weights.h5");
        File.WriteAllText(path, "HDF5 weights from somewhere else, long enough to pass any size check at all");
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("not a SweepRunner checkpoint", error.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<CheckpointException>(() => Checkpoint.Load(Path.Combine(temp.Path, "none")));
        Assert.Contains("file not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_from_other_data_is_refused_on_resume()
    {
        using var trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 1, TrainLimit = 200 }, dataset);
        trainer.Train();
        var checkpoint = trainer.CreateCheckpoint();
        var foreign = new Checkpoint(checkpoint.Metadata with { DatasetHash = new string('a', 64) }, checkpoint.ModelState, checkpoint.OptimizerState);

        var error = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(foreign, dataset));
        Assert.Contains("dataset", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();
}

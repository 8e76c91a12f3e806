using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Packing;
using SweepRunner.Models.Tests.Data;
using SweepRunner.Models.Training;

namespace SweepRunner.Models.Tests.Packing;

/// <summary>
/// A β grid (0.5, 1, 4) of one MLP trained both ways on the bundled MNIST cut to 1,000 training and 1,000 test images
/// (every epoch tests each trial: the full test split would take most of the time): packed for 2 epochs (reports and
/// checkpoints kept) in two lanes side by side (two trials, then one; <see cref="Threads"/>), and each trial alone with
/// <see cref="VaeTrainer"/> for 3 epochs.
/// </summary>
public sealed class PackedBetaRunsFixture
{
    public const int PackedEpochs = 2;

    /// <summary>The threads the packed trainers here share out, whatever the machine's cores: two lanes for three trials.</summary>
    public const int Threads = 2;
    private const int Images = 1000;

    public PackedBetaRunsFixture()
    {
        Dataset = SmallMnist();
        Configs = [.. new[] { 0.5, 1, 4 }.Select(beta => new TrainingConfig { Beta = beta, Epochs = PackedEpochs, Seed = 3 })];

        using (var packed = PackedVaeTrainer.Start(Configs, Dataset, options: null, Threads))
        {
            packed.Train();
            Packed = packed.Histories;
            Checkpoints = packed.CreateCheckpoints();
        }

        Unpacked = [.. Configs.Select(config =>
        {
            using var trainer = VaeTrainer.Start(config with { Epochs = PackedEpochs + 1 }, Dataset);
            return trainer.Train().ToList();
        })];
    }

    /// <summary>The cut MNIST every run here trains on (a checkpoint resumes on its own data only).</summary>
    public MnistDataset Dataset { get; }

    public IReadOnlyList<TrainingConfig> Configs { get; }

    /// <summary>Each trial's packed epochs, in the order of <see cref="Configs"/>.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> Packed { get; }

    public IReadOnlyList<Checkpoint> Checkpoints { get; }

    /// <summary>Each trial's epochs alone, one more than packed.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> Unpacked { get; }

    private static MnistDataset SmallMnist()
    {
        var bundled = MnistDataset.Load(MnistDataset.FindBundled());
        using var folder = new TempDirectory();
        Write(folder, IdxFixtures.TrainImages, IdxFixtures.TrainLabels, bundled.Train.Take(Images));
        Write(folder, IdxFixtures.TestImages, IdxFixtures.TestLabels, bundled.Test.Take(Images));
        return MnistDataset.Load(folder.Path);
    }

    private static void Write(TempDirectory folder, string imagesFile, string labelsFile, ImageSplit split)
    {
        IdxFixtures.Write(folder.Path, imagesFile, IdxFixtures.Idx(0x08, [split.Count, split.Rows, split.Columns], split.RawPixels), gzip: false);
        IdxFixtures.Write(folder.Path, labelsFile, IdxFixtures.Idx(0x08, [split.Count], split.Labels), gzip: false);
    }
}

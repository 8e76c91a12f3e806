using SweepRunner.Contracts.Training;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Packing;
using SweepRunner.Models.Training;
using TorchSharp;

namespace SweepRunner.Models.Tests.Packing;

[Collection(MnistTrainingGroup.Name)]
public sealed class PackedTrainerTests(PackedBetaRunsFixture runs) : IClassFixture<PackedBetaRunsFixture>
{
    // Packed and alone sum in different orders: within float rounding, grown over the epochs, not bit for bit.
    private const double RelativeTolerance = 1e-4;

    [Fact]
    public void Each_packed_trial_follows_its_run_alone_epoch_by_epoch()
    {
        for (int trial = 0; trial < runs.Configs.Count; trial++)
        {
            var packed = runs.Packed[trial];
            Assert.Equal(PackedBetaRunsFixture.PackedEpochs, packed.Count);
            for (int epoch = 0; epoch < packed.Count; epoch++)
            {
                var alone = runs.Unpacked[trial][epoch];
                Assert.Equal(alone.Epoch, packed[epoch].Epoch);
                AssertClose(alone, packed[epoch], $"β = {runs.Configs[trial].Beta}, epoch {epoch + 1}");
            }
        }
        // The trials did train apart: β changes the KL they settle on.
        Assert.True(runs.Packed[0][^1].Test.Kl > runs.Packed[2][^1].Test.Kl * 1.2, "β = 0.5 and β = 4 ended with alike KLs");
    }

    [Theory]
    [InlineData(1, 1, 3, 2)]
    [InlineData(2, 2, 1, 0)]
    [InlineData(8, 3, 1, 0)]
    public void The_group_trains_in_a_lane_per_thread_and_one_per_trial_at_most(int threads, int lanes, int lastTrialsModelSize, int lastTrialsMember)
    {
        using var trainer = PackedVaeTrainer.Start(runs.Configs, runs.Dataset, options: null, threads);

        var (model, member) = trainer.PackedModelOf(2);

        Assert.Equal(lanes, trainer.LaneCount);
        Assert.Equal((lastTrialsModelSize, lastTrialsMember), (model.Count, member));
    }

    [Fact]
    public void One_packed_model_on_one_thread_trains_as_the_lanes_side_by_side()
    {
        using var trainer = PackedVaeTrainer.Start(runs.Configs, runs.Dataset, options: null, threads: 1);

        var reports = trainer.TrainEpoch();

        Assert.Equal(1, trainer.LaneCount);
        for (int trial = 0; trial < runs.Configs.Count; trial++)
        {
            var lanes = runs.Packed[trial][0];
            Assert.Equal((lanes.Train, lanes.Test), (reports[trial]!.Train, reports[trial]!.Test));
        }
    }

    [Fact]
    public void A_packed_trials_checkpoint_resumes_alone_where_its_run_alone_goes()
    {
        const int trial = 2;
        var checkpoint = Checkpoint.FromBytes(runs.Checkpoints[trial].ToBytes(), "packed trial");
        Assert.Equal(runs.Configs[trial], checkpoint.Metadata.Config);
        Assert.Equal(runs.Packed[trial], checkpoint.Metadata.History);

        using var resumed = VaeTrainer.Resume(checkpoint, runs.Dataset, epochs: PackedBetaRunsFixture.PackedEpochs + 1);
        var third = resumed.TrainEpoch();

        Assert.Equal(PackedBetaRunsFixture.PackedEpochs + 1, third.Epoch);
        AssertClose(runs.Unpacked[trial][^1], third, "resumed epoch 3");
    }

    [Fact]
    public void A_trial_that_diverges_leaves_the_group_and_the_others_train_as_they_would_alone()
    {
        using var trainer = PackedVaeTrainer.Start(runs.Configs, runs.Dataset, options: null, PackedBetaRunsFixture.Threads);
        // Trial 1's weights poisoned: its loss is NaN from the first batch, and its NaN gradient must reach no other trial.
        var (model, member) = trainer.PackedModelOf(1);
        using (torch.no_grad())
        {
            foreach (var parameter in model.parameters()) parameter[member].fill_(float.NaN);
        }

        var first = trainer.TrainEpoch();
        trainer.Train();

        Assert.Equal((1, 1), (trainer.DivergenceOf(1)?.Epoch, trainer.DivergenceOf(1)?.Batch));
        Assert.Equal((false, true, true), (trainer.IsActive(1), trainer.IsActive(0), trainer.IsActive(2)));
        Assert.Null(first[1]);
        Assert.Empty(trainer.Histories[1]);
        Assert.Equal(PackedBetaRunsFixture.PackedEpochs, trainer.CompletedEpochs);
        foreach (int trial in new[] { 0, 2 })
        {
            for (int epoch = 0; epoch < PackedBetaRunsFixture.PackedEpochs; epoch++)
                AssertClose(runs.Unpacked[trial][epoch], trainer.Histories[trial][epoch], $"β = {runs.Configs[trial].Beta} beside a diverged trial, epoch {epoch + 1}");
        }
    }

    [Fact]
    public void A_retired_trial_is_no_longer_evaluated_nor_reported()
    {
        using var trainer = PackedVaeTrainer.Start(runs.Configs, runs.Dataset, options: null, PackedBetaRunsFixture.Threads);
        trainer.Retire(0);

        var reports = trainer.TrainEpoch();

        Assert.Null(reports[0]);
        Assert.Empty(trainer.Histories[0]);
        Assert.Null(trainer.DivergenceOf(0));
        AssertClose(runs.Unpacked[2][0], reports[2]!, "β = 4 beside a retired trial");
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("latent_dim")]
    [InlineData("lr")]
    [InlineData("optimizer")]
    public void Trials_that_differ_in_more_than_beta_are_refused_naming_the_field(string field)
    {
        var first = new TrainingConfig();
        var second = field switch
        {
            "seed" => first with { Beta = 2, Seed = 1 },
            "latent_dim" => first with { Beta = 2, LatentDim = 3 },
            "lr" => first with { Beta = 2, LearningRate = 1e-2 },
            _ => first with { Beta = 2, Optimizer = OptimizerKind.Rmsprop },
        };

        var error = Assert.Throws<ArgumentException>(() => PackedVaeTrainer.Start([first, second], runs.Dataset));
        Assert.StartsWith(field + ": packed trials differ only in beta; trial 1 has ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_optimizer_the_model_implies_packs_with_the_same_one_named()
    {
        var first = new TrainingConfig();
        using var trainer = PackedVaeTrainer.Start([first, first with { Beta = 2, Optimizer = OptimizerKind.Adam }], runs.Dataset);
        Assert.Equal(2, trainer.Count);
    }

    [Theory]
    [InlineData(ModelKind.Cnn, "cnn")]
    [InlineData(ModelKind.Cvae, "cvae")]
    public void Convolutional_trials_are_refused_naming_the_model(ModelKind model, string name)
    {
        var config = new TrainingConfig { Model = model };
        var error = Assert.Throws<ArgumentException>(() => PackedVaeTrainer.Start([config, config with { Beta = 2 }], runs.Dataset));
        Assert.StartsWith($"model: only mlp trials pack, not {name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_config_is_refused_as_a_run_alone_refuses_it()
    {
        var config = new TrainingConfig();
        var error = Assert.Throws<ArgumentException>(() => PackedVaeTrainer.Start([config, config with { Beta = -1 }], runs.Dataset));
        Assert.StartsWith("beta:", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(EpochReport expected, EpochReport actual, string what)
    {
        foreach (var (split, alone, packed) in new[] { ("train", expected.Train, actual.Train), ("test", expected.Test, actual.Test) })
        {
            AssertRelative(alone.Recon, packed.Recon, $"{what}, {split} recon");
            AssertRelative(alone.Kl, packed.Kl, $"{what}, {split} KL");
            AssertRelative(alone.Total, packed.Total, $"{what}, {split} total");
        }
    }

    private static void AssertRelative(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * Math.Abs(expected), $"{what}: {actual} packed, {expected} alone");
}

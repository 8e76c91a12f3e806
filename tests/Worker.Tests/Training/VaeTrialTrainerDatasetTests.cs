using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Data;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

/// <summary>A worker opens a trial's data set only below its dataset roots (<see cref="WorkerOptions.DatasetRoots"/>).</summary>
public sealed class VaeTrialTrainerDatasetTests
{
    [Fact]
    public void A_trial_naming_a_folder_outside_the_roots_fails_naming_the_folder_and_the_roots()
    {
        string outside = Directory.CreateTempSubdirectory("sweeprunner-outside-").FullName;
        string root = Directory.CreateTempSubdirectory("sweeprunner-root-").FullName;
        try
        {
            var trainer = new VaeTrialTrainer(Options.Create(new WorkerOptions { DatasetRoots = root }));

            var error = Assert.Throws<DatasetException>(() => trainer.Open(new TrialTrainingConfig(new TrainingConfig(), outside), checkpoint: null));

            Assert.Equal(outside, error.FilePath);
            Assert.Contains($"outside the dataset roots ({MnistDataset.FindBundled()}, {root})", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside);
            Directory.Delete(root);
        }
    }
}

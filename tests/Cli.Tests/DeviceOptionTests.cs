using SweepRunner.Contracts.Training;
using SweepRunner.Models.Data;
using SweepRunner.Models.Training;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using static TorchSharp.torch;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>--device</c> of <c>sweep run</c> and <c>sweep worker</c>: checked before any host starts, and where libtorch has
/// CUDA, what trials train on.
/// </summary>
public sealed class DeviceOptionTests
{
    private const string OneTinyTrial = "name: tiny\nmethod: grid\nepochs: 1\ntrain_limit: 256\nparameters:\n  model:\n    value: mlp\n  beta:\n    value: 1\n";

    [Fact]
    public async Task Cuda_trains_where_libtorch_has_it_and_elsewhere_exits_2_with_what_to_do()
    {
        using var temp = new TempDirectory();
        var sweepFile = temp.File("tiny.yaml");
        await File.WriteAllTextAsync(sweepFile, OneTinyTrial);

        var run = await Sweep.RunAsync("run", sweepFile, "--device", "cuda", "--db", temp.File("store.db"));

        if (cuda.is_available())
        {
            Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
            var contexts = new SweepDbContextFactory(StorageConnection.Parse(temp.File("store.db"), temp.Path));
            var sweep = Assert.Single(await new SweepStore(contexts, TimeProvider.System).ListAsync());
            var trials = (await new TrialStore(contexts, TimeProvider.System).ListAsync(new TrialQuery(sweep.Id))).Trials;
            Assert.Equal((TrialStatus.Completed, 1), (Assert.Single(trials).Status, trials[0].CurrentEpoch));
            AssertTrainsOnCuda();
        }
        else
        {
            // The CPU libtorch this checkout ships, or no GPU: refused before anything starts.
            var worker = await Sweep.RunAsync("worker", "--postgres", "Host=nowhere.invalid;Database=sweeps", "--device", "cuda");
            Assert.All([run, worker], result =>
            {
                Assert.Equal(ExitCodes.BadInput, result.ExitCode);
                Assert.StartsWith("error: --device cuda: CUDA is not available to libtorch in this process", result.Error, StringComparison.Ordinal);
            });
            Assert.False(File.Exists(temp.File("store.db")), "sweep run started before refusing the device");
        }
    }

    [Fact]
    public async Task A_device_other_than_cpu_or_cuda_is_a_usage_error()
    {
        var result = await Sweep.RunAsync("run", Examples.Find("quick.yaml"), "--device", "tpu");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("tpu", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The trainer a worker builds from its <c>Device</c> (as <c>--device cuda</c> sets it) keeps every parameter on the GPU.</summary>
    private static void AssertTrainsOnCuda()
    {
        var dataset = MnistDataset.Load(MnistDataset.FindBundled());
        using var trainer = VaeTrainer.Start(new TrainingConfig { Epochs = 1, TrainLimit = 256 }, dataset, new TrainerOptions { Device = "cuda" });
        trainer.Train();
        Assert.All(trainer.Model.parameters(), parameter => Assert.Equal(TorchSharp.DeviceType.CUDA, parameter.device_type));
    }
}

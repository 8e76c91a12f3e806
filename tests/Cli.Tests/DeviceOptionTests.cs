using static TorchSharp.torch;

namespace SweepRunner.Cli.Tests;

/// <summary><c>--device</c> of <c>sweep run</c> and <c>sweep worker</c>: checked before any host starts.</summary>
public sealed class DeviceOptionTests
{
    [Fact]
    public async Task Cuda_where_libtorch_has_no_cuda_exits_2_with_what_to_do()
    {
        // This checkout ships the CPU libtorch; a machine with a CUDA build would train instead (nothing to refuse).
        if (cuda.is_available()) return;
        using var temp = new TempDirectory();

        var run = await Sweep.RunAsync("run", Examples.Find("quick.yaml"), "--device", "cuda", "--db", temp.File("store.db"));
        var worker = await Sweep.RunAsync("worker", "--postgres", "Host=nowhere.invalid;Database=sweeps", "--device", "cuda");

        Assert.All([run, worker], result =>
        {
            Assert.Equal(ExitCodes.BadInput, result.ExitCode);
            Assert.StartsWith("error: --device cuda: CUDA is not available to libtorch in this process", result.Error, StringComparison.Ordinal);
        });
        Assert.False(File.Exists(temp.File("store.db")), "sweep run started before refusing the device");
    }

    [Fact]
    public async Task A_device_other_than_cpu_or_cuda_is_a_usage_error()
    {
        var result = await Sweep.RunAsync("run", Examples.Find("quick.yaml"), "--device", "tpu");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("tpu", result.Error, StringComparison.Ordinal);
    }
}

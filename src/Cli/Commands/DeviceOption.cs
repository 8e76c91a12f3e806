using System.CommandLine;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary><c>--device cpu|cuda</c> of the commands that host training slots (<c>worker</c>, <c>run</c>).</summary>
internal static class DeviceOption
{
    public static Option<string> Create() => new Option<string>("--device")
    {
        Description = "Where the slots train; cuda needs a CUDA build of libtorch and a visible GPU",
        HelpName = "cpu|cuda",
        DefaultValueFactory = _ => TrainingDevice.Cpu,
    }.AcceptOnlyFromAmong(TrainingDevice.Cpu, TrainingDevice.Cuda);

    /// <summary>
    /// False after writing why to <paramref name="error"/> (exit code 2) when <paramref name="device"/> cannot train in
    /// this process. Checked before any host starts: a slot finding out on its own thread would only stop the host.
    /// </summary>
    public static bool TryRequire(string device, TextWriter error)
    {
        try
        {
            TrainingDevice.Require(device);
            return true;
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return false;
        }
    }
}

using SweepRunner.Common;
using static TorchSharp.torch;

namespace SweepRunner.Worker;

/// <summary>The devices a worker can train on, and the check that the one asked for is there.</summary>
public static class TrainingDevice
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    /// <summary>The tag a worker on <paramref name="device"/> carries unless given others: <c>cpu</c>, or <c>gpu</c> for <c>cuda</c>.</summary>
    public static string TagOf(string device) => device == Cuda ? WorkerTags.Gpu : WorkerTags.Cpu;

    /// <summary>Throws <see cref="InvalidOperationException"/> with what to do when <paramref name="device"/> cannot be used here.</summary>
    public static void Require(string device)
    {
        if (device == Cpu) return;
        if (device != Cuda) throw new InvalidOperationException($"--device {device}: expected cpu or cuda");
        if (!cuda.is_available())
            throw new InvalidOperationException(
                "--device cuda: CUDA is not available to libtorch in this process: this build ships the CPU libtorch (libtorch-cpu-linux-x64), " +
                "or no NVIDIA driver/GPU is visible. Use --device cpu, or a worker built against a CUDA libtorch (README, Distributed mode).");
    }
}

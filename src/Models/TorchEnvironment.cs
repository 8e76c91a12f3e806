using System.Runtime.InteropServices;

namespace SweepRunner.Models;

/// <summary>
/// Settings of libtorch's native runtime that are read from the process environment once, when libtorch loads, and so
/// must be in place before the first tensor. <see cref="ApplyDefaults"/> is the first thing the CLI does.
/// </summary>
/// <remarks>
/// The environment libtorch reads is the C library's: <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only .NET's copy on Linux, so the values go through <c>setenv</c> as well (and into .NET's copy, for the
/// processes this one starts). A variable the user has set is left as it is.
/// </remarks>
public static partial class TorchEnvironment
{
    /// <summary>The mmap threshold <see cref="ApplyDefaults"/> fixes: glibc's own ceiling for its dynamic one on 64-bit.</summary>
    public const int MmapThresholdBytes = 32 << 20;

    // mallopt's parameter number for the mmap threshold, from glibc's malloc.h.
    private const int MallocMmapThreshold = -3;

    /// <summary>
    /// <list type="bullet">
    /// <item><c>OMP_WAIT_POLICY=PASSIVE</c>: libtorch's OpenMP threads sleep between parallel regions instead of spinning.
    /// Spinning wins a little on an idle machine and loses badly on a busy one: on 2 cores shared with other work, an MLP
    /// epoch on 2 threads took 50–165 s spinning against 3–4 s sleeping (docs/benchmarks.md, "Training against
    /// PyTorch").</item>
    /// <item>glibc's mmap threshold fixed at <see cref="MmapThresholdBytes"/>. Its dynamic threshold starts at 128 KiB
    /// and grows only as mmapped blocks are freed, so for the first thousands of batches a convolution's buffers are
    /// mapped, faulted in page by page and unmapped again: a CNN's first epoch took 2–3.5× the next ones
    /// (docs/benchmarks.md, "The CNNs' first epoch"). Left alone when the user tunes malloc through the
    /// environment.</item>
    /// </list>
    /// </summary>
    public static void ApplyDefaults()
    {
        SetDefault("OMP_WAIT_POLICY", "PASSIVE");
        if (!UserTunesMalloc()) FixMmapThreshold();
    }

    /// <summary>Sets <paramref name="name"/> for libtorch and for child processes unless the environment has it already.</summary>
    internal static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null) return;
        if (SetEnvironment(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"could not set {name} in the process environment (errno {Marshal.GetLastPInvokeError()})");
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>
    /// Fixes glibc's mmap threshold at <see cref="MmapThresholdBytes"/>; returns whether the C library took it. Another
    /// C library (musl has no such setting) is left as it is: the setting is for speed only.
    /// </summary>
    internal static bool FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return SetMallocOption(MallocMmapThreshold, MmapThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool UserTunesMalloc() =>
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
        || (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal) ?? false);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int SetMallocOption(int parameter, int value);
}

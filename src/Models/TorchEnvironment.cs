using System.Globalization;
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

    /// <summary>
    /// The trim threshold <see cref="ApplyDefaults"/> fixes: more than a CNN's training step frees at once, so that what
    /// one batch frees stays mapped for the next. 64 MiB (glibc's dynamic ceiling) still left a CNN trimming and faulting
    /// its heap in again every few batches.
    /// </summary>
    public const int TrimThresholdBytes = 256 << 20;

    /// <summary>
    /// How long an OpenMP thread (GNU libgomp's, which libtorch carries) spins before it sleeps: libgomp counts about
    /// 100,000 spins per millisecond, so some 10 µs, longer than the gaps between a training step's parallel regions and
    /// short enough that two 2-thread trainings on the same 2 cores lose little to each other's spinning: their MLP epochs
    /// took 1.3× those of sleeping threads, against 3–9× with 10,000–100,000 spins. With <c>OMP_WAIT_POLICY=PASSIVE</c>
    /// set too, libgomp does not spin at all while the process has more OpenMP threads than cores (several
    /// multi-threaded slots in one worker).
    /// </summary>
    public const int OpenMpSpinCount = 1000;

    private const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    private const string SpinCountVariable = "GOMP_SPINCOUNT";

    // mallopt's parameter numbers, from glibc's malloc.h.
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;

    /// <summary>
    /// <list type="bullet">
    /// <item><c>OMP_WAIT_POLICY=PASSIVE</c> and <c>GOMP_SPINCOUNT</c>=<see cref="OpenMpSpinCount"/>: libtorch's OpenMP
    /// threads spin briefly at the end of a parallel region, then sleep. Spinning without end loses badly on a busy
    /// machine: on 2 cores shared with other work, an MLP epoch on 2 threads took 50–165 s spinning against 3–4 s
    /// sleeping. Sleeping at once loses on a quiet one, where waking a sleeping thread costs more than a small
    /// operation's work: the MLP step's ~40 regions made its epoch 1.2–1.5× longer than with the short spin
    /// (docs/benchmarks.md, "Training against PyTorch"). A wait policy the user set gets no spin count (one would
    /// override <c>OMP_WAIT_POLICY=ACTIVE</c>'s endless spin); a spin count the user set gets the passive policy.</item>
    /// <item>glibc's mmap and trim thresholds fixed at <see cref="MmapThresholdBytes"/> and <see cref="TrimThresholdBytes"/>.
    /// With glibc's dynamic thresholds, a convolution's buffers are mapped, or taken from the heap's top, and handed
    /// back to the kernel when freed, then faulted in again page by page at the next batch: a CNN on 2,000 images took
    /// 1.3–2.0 million page faults and 5.3–5.6 s of system time in 2 epochs, against 0.11 million and 0.8–1.6 s with
    /// these, at the same peak RSS (docs/benchmarks.md, "The CNNs' first epoch"). Fixing the mmap threshold alone
    /// would be worse: glibc then stops growing the trim threshold from its 128 KiB. Left alone when the user tunes
    /// malloc through the environment.</item>
    /// </list>
    /// </summary>
    public static void ApplyDefaults()
    {
        foreach (var (name, value) in OpenMpWaitDefaults(Environment.GetEnvironmentVariable)) SetDefault(name, value);
        if (!UserTunesMalloc()) FixMallocThresholds();
    }

    /// <summary>
    /// The OpenMP wait settings <see cref="ApplyDefaults"/> sets, given the environment: none when the user chose a wait
    /// policy, the policy alone when the user chose a spin count.
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> OpenMpWaitDefaults(Func<string, string?> environment)
    {
        if (environment(WaitPolicyVariable) is not null) yield break;
        yield return (WaitPolicyVariable, "PASSIVE");
        if (environment(SpinCountVariable) is null) yield return (SpinCountVariable, OpenMpSpinCount.ToString(CultureInfo.InvariantCulture));
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
    /// Fixes glibc's mmap and trim thresholds; returns whether the C library took both. Another C library (musl has no
    /// such settings) is left as it is: the settings are for speed only.
    /// </summary>
    internal static bool FixMallocThresholds()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return SetMallocOption(MallocMmapThreshold, MmapThresholdBytes) == 1 && SetMallocOption(MallocTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Hands the C library's free memory back to the kernel, in every malloc arena: each thread that ran libtorch work
    /// (a slot, OpenMP's threads, the thread pool's) keeps up to <see cref="TrimThresholdBytes"/> of its own freed
    /// memory mapped, and a worker's phases (an epoch, its test pass, the analysis, the figures, storing a checkpoint)
    /// run on different threads, so those high-water marks add up. Called between phases, never per batch. Returns
    /// whether any memory went back (false, too, outside glibc: musl has no <c>malloc_trim</c>).
    /// </summary>
    public static bool ReleaseFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return TrimMalloc(0) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool UserTunesMalloc() =>
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
        || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null
        || (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { } tunables
            && (tunables.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal) || tunables.Contains("glibc.malloc.trim_threshold", StringComparison.Ordinal)));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int TrimMalloc(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int SetMallocOption(int parameter, int value);
}

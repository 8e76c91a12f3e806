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
    /// <summary>
    /// <c>OMP_WAIT_POLICY=PASSIVE</c>: libtorch's OpenMP threads sleep between parallel regions instead of spinning. Spinning
    /// wins a little on an idle machine and loses badly on a busy one: on 2 cores shared with other work, an MLP epoch on
    /// 2 threads took 50–165 s spinning against 3–4 s sleeping (docs/benchmarks.md, "Training against PyTorch").
    /// </summary>
    public static void ApplyDefaults() => SetDefault("OMP_WAIT_POLICY", "PASSIVE");

    /// <summary>Sets <paramref name="name"/> for libtorch and for child processes unless the environment has it already.</summary>
    internal static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null) return;
        if (SetEnvironment(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"could not set {name} in the process environment (errno {Marshal.GetLastPInvokeError()})");
        Environment.SetEnvironmentVariable(name, value);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}

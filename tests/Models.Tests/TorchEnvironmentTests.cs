using System.Runtime.InteropServices;

namespace SweepRunner.Models.Tests;

/// <summary>
/// Defaults reach the C library's environment, which libtorch reads, and never override the user's; the fixed mmap
/// threshold reaches glibc's malloc.
/// </summary>
public sealed partial class TorchEnvironmentTests
{
    [Fact]
    public void A_default_reaches_the_native_environment_and_dotnets()
    {
        string name = $"SWEEPRUNNER_TEST_{Guid.NewGuid():N}";

        TorchEnvironment.SetDefault(name, "PASSIVE");

        Assert.Equal("PASSIVE", NativeValue(name));
        Assert.Equal("PASSIVE", Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void A_value_the_user_set_is_kept()
    {
        string name = $"SWEEPRUNNER_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "ACTIVE");

        TorchEnvironment.SetDefault(name, "PASSIVE");

        Assert.Equal("ACTIVE", Environment.GetEnvironmentVariable(name));
        Assert.Null(NativeValue(name));
    }

    [Fact]
    public void Blocks_below_the_fixed_mmap_threshold_come_from_the_heap()
    {
        Assert.True(TorchEnvironment.FixMallocThresholds(), "glibc did not take the thresholds");

        // Both sizes are over the dynamic threshold's 128 KiB start; only the larger one is over the fixed threshold.
        Assert.False(IsMapped(TorchEnvironment.MmapThresholdBytes / 2));
        Assert.True(IsMapped(TorchEnvironment.MmapThresholdBytes * 2));
    }

    /// <summary>Whether glibc serves a block of <paramref name="bytes"/> with its own mapping: its chunk header's IS_MMAPPED bit.</summary>
    private static bool IsMapped(int bytes)
    {
        IntPtr block = Allocate((nuint)bytes);
        Assert.NotEqual(IntPtr.Zero, block);
        try
        {
            return (Marshal.ReadInt64(block, -sizeof(long)) & 2) != 0;
        }
        finally
        {
            Free(block);
        }
    }

    private static string? NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnvironment(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironment(string name);

    [LibraryImport("libc", EntryPoint = "malloc")]
    private static partial IntPtr Allocate(nuint bytes);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr block);
}

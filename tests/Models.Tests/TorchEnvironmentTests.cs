using System.Runtime.InteropServices;

namespace SweepRunner.Models.Tests;

/// <summary>
/// Defaults reach the C library's environment, which libtorch reads, and never override the user's (OpenMP's wait
/// settings as a pair); the fixed mmap threshold reaches glibc's malloc, and freed memory is handed back on request.
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
    public void OpenMP_threads_spin_briefly_then_sleep_by_default()
    {
        var defaults = TorchEnvironment.OpenMpWaitDefaults(_ => null).ToArray();

        Assert.Equal([("OMP_WAIT_POLICY", "PASSIVE"), ("GOMP_SPINCOUNT", "1000")], defaults);
    }

    [Theory]
    [InlineData("ACTIVE")]
    [InlineData("PASSIVE")]
    public void A_wait_policy_the_user_chose_gets_no_spin_count(string policy)
    {
        var environment = new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = policy };

        Assert.Empty(TorchEnvironment.OpenMpWaitDefaults(environment.GetValueOrDefault));
    }

    [Fact]
    public void A_spin_count_the_user_chose_gets_the_passive_policy_only()
    {
        var environment = new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "20000" };

        var defaults = TorchEnvironment.OpenMpWaitDefaults(environment.GetValueOrDefault).ToArray();

        Assert.Equal([("OMP_WAIT_POLICY", "PASSIVE")], defaults);
    }

    [Fact]
    public void Blocks_below_the_fixed_mmap_threshold_come_from_the_heap()
    {
        Assert.True(TorchEnvironment.FixMallocThresholds(), "glibc did not take the thresholds");

        // Both sizes are over the dynamic threshold's 128 KiB start; only the larger one is over the fixed threshold.
        Assert.False(IsMapped(TorchEnvironment.MmapThresholdBytes / 2));
        Assert.True(IsMapped(TorchEnvironment.MmapThresholdBytes * 2));
    }

    [Fact]
    public void Freed_heap_memory_goes_back_to_the_kernel_when_released()
    {
        Assert.True(TorchEnvironment.FixMallocThresholds(), "glibc did not take the thresholds");
        // 64 blocks of 1 MiB, every other one freed: 32 holes between live blocks, which glibc keeps mapped (only the
        // free top of a heap is ever trimmed by itself).
        const int blockBytes = 1 << 20;
        var blocks = new IntPtr[64];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Allocate(blockBytes);
            Assert.NotEqual(IntPtr.Zero, blocks[i]);
            Fill(blocks[i], 1, blockBytes); // resident, not just reserved
        }
        var holes = blocks.Where((_, i) => i % 2 == 0).ToArray();
        try
        {
            foreach (var hole in holes) Free(hole);
            var (residentBefore, pages) = ResidentPagesInside(holes, blockBytes);

            Assert.True(TorchEnvironment.ReleaseFreedMemory(), "malloc_trim released nothing");

            var (residentAfter, _) = ResidentPagesInside(holes, blockBytes);
            Assert.True(residentBefore >= pages * 9 / 10, $"only {residentBefore} of the holes' {pages} pages were resident before the release");
            Assert.True(residentAfter <= pages / 10, $"{residentAfter} of the holes' {pages} pages still resident after the release");
        }
        finally
        {
            foreach (var block in blocks.Where((_, i) => i % 2 == 1)) Free(block);
        }
    }

    /// <summary>
    /// Resident pages inside the freed blocks, by the kernel's count (<c>mincore</c>), and how many were looked at: each
    /// block's first and last page are left out, since glibc keeps its chunk headers there. Other threads' memory does
    /// not count, unlike the process's resident set.
    /// </summary>
    private static (int Resident, int Pages) ResidentPagesInside(IntPtr[] blocks, int blockBytes)
    {
        long page = Environment.SystemPageSize;
        var residency = new byte[blockBytes / page];
        int resident = 0, pages = 0;
        foreach (var block in blocks)
        {
            long start = (block.ToInt64() + page - 1) / page * page + page;
            long end = (block.ToInt64() + blockBytes) / page * page - page;
            int count = (int)((end - start) / page);
            Assert.Equal(0, QueryResidency(new IntPtr(start), (nuint)(end - start), residency));
            for (int i = 0; i < count; i++) resident += residency[i] & 1;
            pages += count;
        }
        return (resident, pages);
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

    [LibraryImport("libc", EntryPoint = "memset")]
    private static partial IntPtr Fill(IntPtr block, int value, nuint bytes);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static partial int QueryResidency(IntPtr start, nuint length, [Out] byte[] residency);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr block);
}

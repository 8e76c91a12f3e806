using System.Runtime.InteropServices;

namespace SweepRunner.Models.Tests;

/// <summary>Defaults reach the C library's environment, which libtorch reads, and never override the user's.</summary>
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

    private static string? NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnvironment(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironment(string name);
}

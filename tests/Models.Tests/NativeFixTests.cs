using System.Security.Cryptography;

namespace SweepRunner.Models.Tests;

/// <summary>The build step that lets TorchSharp's glue load on Debian 12 (see docs/platform.md).</summary>
public sealed class NativeFixTests
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";

    [Fact]
    public void Output_copy_is_patched_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        string library = Path.Combine(AppContext.BaseDirectory, Library);
        string manifest = library + ".native-fix.txt";
        Assert.True(File.Exists(library), $"{library} was not copied to the output");

        if (SystemLibStdCxxDefines(MissingVersion))
        {
            Assert.False(File.Exists(manifest), "the library was patched although the system libstdc++ needs no fix");
            return;
        }

        Assert.True(File.Exists(manifest), $"{manifest} is missing: the build did not apply the fix");
        var recorded = File.ReadAllLines(manifest)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
        Assert.Equal(recorded["sha256-after"], Sha256(library));

        // The package cache keeps the original: only the output copy was edited.
        string packaged = Path.Combine(NuGetPackagesFolder(), "torchsharp", TorchSharpVersion(), "runtimes", "linux-x64", "native", Library);
        Assert.Equal(recorded["sha256-before"], Sha256(packaged));
        Assert.NotEqual(recorded["sha256-before"], recorded["sha256-after"]);
    }

    private static bool SystemLibStdCxxDefines(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        string path = candidates.First(File.Exists);
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    private static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string TorchSharpVersion()
    {
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        return $"{version.Major}.{version.Minor}.{version.Build}";
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

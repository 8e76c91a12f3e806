using System.Security.Cryptography;
using System.Text;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// The native-load fix (build/LibTorchSharpNativeFix.targets, docs/platform.md) decided against a given target libstdc++ and
/// forced either way: its publish step run on a pristine copy of TorchSharp's libLibTorchSharp.so, next to a stand-in
/// libstdc++.so.6 that defines the versions up to the one named.
/// </summary>
public sealed class NativeFixDecisionTests : IDisposable
{
    private const string Library = "libLibTorchSharp.so";
    private const string Manifest = Library + ".native-fix.txt";
    private const string OldLibStdCxx = "GLIBCXX_3.4.30";
    private const string NewLibStdCxx = "GLIBCXX_3.4.32";

    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-native-fix-").FullName;
    private readonly string _publishDir;
    private readonly string _pristineSha256;

    public NativeFixDecisionTests()
    {
        _publishDir = Path.Combine(_folder, "publish");
        Directory.CreateDirectory(_publishDir);
        File.Copy(PackagedLibrary(), Path.Combine(_publishDir, Library));
        _pristineSha256 = Sha256(Path.Combine(_publishDir, Library));
    }

    [Fact]
    public async Task Patches_when_the_target_libstdcxx_lacks_the_version()
    {
        string target = StandInLibStdCxx(OldLibStdCxx);

        await RunFixAsync($"-p:NativeFixTargetLibStdCxx={target}");

        Assert.Contains($"reason: {target} lacks {NewLibStdCxx}", ManifestText(), StringComparison.Ordinal);
        AssertPatched();
    }

    [Fact]
    public async Task Leaves_the_library_alone_when_the_target_libstdcxx_has_the_version()
    {
        // Whatever this machine's libstdc++ has: the target's decides.
        await RunFixAsync($"-p:NativeFixTargetLibStdCxx={StandInLibStdCxx(NewLibStdCxx)}");

        AssertUnpatched();
    }

    [Fact]
    public async Task On_patches_even_for_a_target_that_has_the_version()
    {
        await RunFixAsync("-p:NativeFix=on", $"-p:NativeFixTargetLibStdCxx={StandInLibStdCxx(NewLibStdCxx)}");

        Assert.Contains("reason: forced (NativeFix=on)", ManifestText(), StringComparison.Ordinal);
        AssertPatched();
    }

    [Fact]
    public async Task Off_leaves_the_library_alone_even_for_a_target_that_lacks_the_version()
    {
        await RunFixAsync("-p:NativeFix=off", $"-p:NativeFixTargetLibStdCxx={StandInLibStdCxx(OldLibStdCxx)}");

        AssertUnpatched();
    }

    [Fact]
    public async Task A_missing_target_libstdcxx_or_an_unknown_mode_fails_the_build()
    {
        string missing = Path.Combine(_folder, "absent", "libstdc++.so.6");
        var noTarget = await ExecuteFixAsync($"-p:NativeFixTargetLibStdCxx={missing}");
        var unknownMode = await ExecuteFixAsync("-p:NativeFix=sometimes");

        Assert.NotEqual(0, noTarget.ExitCode);
        Assert.Contains($"error SWEEP003: NativeFixTargetLibStdCxx: {missing} does not exist", noTarget.Output, StringComparison.Ordinal);
        Assert.Contains("does not exist; give the target's libstdc++.so.6", noTarget.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, unknownMode.ExitCode);
        Assert.Contains("error SWEEP002: NativeFix 'sometimes' is not supported: use auto (the default), on or off.", unknownMode.Output, StringComparison.Ordinal);
        AssertUnpatched();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task RunFixAsync(params string[] properties)
    {
        var result = await ExecuteFixAsync(properties);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>The fix's publish step alone, on the test's publish folder (the targets file is a project of its own).</summary>
    private Task<ChildProcessResult> ExecuteFixAsync(params string[] properties) =>
        DotnetCli.ExecuteAsync([
            "msbuild", RepositoryFiles.Find("build/LibTorchSharpNativeFix.targets"), "-nologo", "-v:m",
            "-t:SweepRunnerFixLibTorchSharpAfterPublish", $"-p:PublishDir={_publishDir}/", .. properties,
        ]);

    /// <summary>A file that, for the fix, is a libstdc++ defining the symbol versions GLIBCXX_3.4.30 … <paramref name="newest"/>.</summary>
    private string StandInLibStdCxx(string newest)
    {
        var versions = new StringBuilder("\0");
        for (int minor = 30; minor <= int.Parse(newest.Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture); minor++)
            versions.Append($"GLIBCXX_3.4.{minor}\0");
        string path = Path.Combine(_folder, $"libstdc++-{newest}.so.6");
        File.WriteAllText(path, versions.ToString());
        return path;
    }

    private string ManifestText()
    {
        string manifest = Path.Combine(_publishDir, Manifest);
        Assert.True(File.Exists(manifest), $"{Manifest} was not written: the library was not patched");
        return File.ReadAllText(manifest);
    }

    private void AssertPatched()
    {
        string text = ManifestText();
        string patched = Sha256(Path.Combine(_publishDir, Library));
        Assert.NotEqual(_pristineSha256, patched);
        Assert.Contains($"sha256-before: {_pristineSha256}", text, StringComparison.Ordinal);
        Assert.Contains($"sha256-after: {patched}", text, StringComparison.Ordinal);
    }

    private void AssertUnpatched()
    {
        Assert.False(File.Exists(Path.Combine(_publishDir, Manifest)), $"{Manifest} was written: the library was patched");
        Assert.Equal(_pristineSha256, Sha256(Path.Combine(_publishDir, Library)));
    }

    /// <summary>TorchSharp's own copy in the NuGet package cache, which the fix never edits.</summary>
    internal static string PackagedLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        return Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", Library);
    }

    internal static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

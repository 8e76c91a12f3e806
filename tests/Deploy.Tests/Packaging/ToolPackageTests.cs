using System.IO.Compression;
using System.Security.Cryptography;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// The installable <c>sweep</c>: the SweepRunner .NET tool package carries linux-x64's natives only, the patched TorchSharp glue
/// and the bundled MNIST, and once installed with <c>--tool-path</c> it runs, finds MNIST and loads libtorch from any folder.
/// </summary>
public sealed class ToolPackageTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    private const string ToolFolder = "tools/net10.0/linux-x64/";

    [Fact]
    public void Package_carries_the_patched_glue_and_the_bundled_mnist_for_linux_x64_only()
    {
        using var package = ZipFile.OpenRead(tool.Package);
        var names = package.Entries.Select(entry => entry.FullName).ToList();

        Assert.Contains(ToolFolder + "sweep", names);
        Assert.Contains(ToolFolder + "libtorch_cpu.so", names);
        Assert.Contains(ToolFolder + "data/mnist/SHA256SUMS", names);
        Assert.Contains(ToolFolder + "data/mnist/train-images-idx3-ubyte.gz", names);
        Assert.DoesNotContain(names, name => name.Contains("/runtimes/", StringComparison.Ordinal));
        Assert.All(names.Where(name => name.StartsWith("tools/", StringComparison.Ordinal)), name => Assert.StartsWith(ToolFolder, name));

        // Built for machines unknown, the tool always carries the fix; the glue is the patched copy the manifest records.
        string manifest = ReadText(package, ToolFolder + "libLibTorchSharp.so.native-fix.txt");
        string packedSha256 = Convert.ToHexStringLower(SHA256.HashData(ReadBytes(package, ToolFolder + "libLibTorchSharp.so")));
        Assert.Contains($"sha256-after: {packedSha256}", manifest, StringComparison.Ordinal);
        Assert.NotEqual(NativeFixDecisionTests.Sha256(NativeFixDecisionTests.PackagedLibrary()), packedSha256);
    }

    [Fact]
    public async Task Installed_tool_reports_the_package_version()
    {
        string packageVersion = Path.GetFileNameWithoutExtension(tool.Package)["SweepRunner.".Length..];

        string output = await tool.RunAsync("--version");

        Assert.StartsWith(packageVersion + "+", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_tool_validates_a_sweep_on_the_bundled_mnist_from_another_folder()
    {
        string output = await tool.RunAsync("validate", RepositoryFiles.Find("examples/quick.yaml"));

        Assert.Contains("quick, grid search, 2 trials", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_tool_trains_with_its_own_libtorch()
    {
        string folder = Path.Combine(tool.Elsewhere, "train");

        string output = await tool.RunAsync("train", "--model", "mlp", "--epochs", "1", "--train-limit", "200",
            "--iwae-examples", "10", "--iwae-samples", "2", "--out", folder);

        Assert.Contains("IWAE NLL:", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")), output);
    }

    private static byte[] ReadBytes(ZipArchive package, string name)
    {
        using var stream = package.GetEntry(name)?.Open() ?? throw new FileNotFoundException($"{name} is not in the package");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive package, string name) => System.Text.Encoding.UTF8.GetString(ReadBytes(package, name));
}

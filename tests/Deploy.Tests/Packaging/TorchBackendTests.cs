using System.Text.Json;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// <c>-p:TorchBackend</c> picks the libtorch runtime package (src/Models/Models.csproj). Evaluation only: the CUDA package is
/// never restored here.
/// </summary>
public sealed class TorchBackendTests
{
    private const string CpuRuntime = "libtorch-cpu-linux-x64";
    private const string CudaRuntime = "libtorch-cuda-12.8-linux-x64";

    [Fact]
    public async Task Default_backend_references_the_cpu_runtime_only()
    {
        var references = await PackageReferencesAsync();

        Assert.Contains(CpuRuntime, references);
        Assert.DoesNotContain(CudaRuntime, references);
        Assert.Contains("TorchSharp", references);
    }

    [Fact]
    public async Task Cuda_backend_swaps_the_cpu_runtime_for_the_cuda_one()
    {
        var references = await PackageReferencesAsync("-p:TorchBackend=cuda");

        Assert.Contains(CudaRuntime, references);
        Assert.DoesNotContain(CpuRuntime, references);
        Assert.Contains("TorchSharp", references);
    }

    [Fact]
    public async Task Unknown_backend_fails_before_restore_with_the_supported_values()
    {
        // CollectPackageReferences is what restore (and so every build) runs first on the project.
        var result = await DotnetCli.ExecuteAsync("msbuild", ModelsProject(), "-nologo", "-t:CollectPackageReferences", "-p:TorchBackend=rocm");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error SWEEP001: TorchBackend 'rocm' is not supported: use cpu (the default) or cuda", result.Output, StringComparison.Ordinal);
    }

    private static string ModelsProject() => RepositoryFiles.Find("src/Models/Models.csproj");

    private static async Task<List<string>> PackageReferencesAsync(params string[] properties)
    {
        string json = await DotnetCli.RunAsync(["msbuild", ModelsProject(), "-nologo", "-getItem:PackageReference", .. properties]);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!)
            .ToList();
    }
}

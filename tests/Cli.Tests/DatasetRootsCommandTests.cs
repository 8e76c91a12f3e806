using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>sweep validate</c> and <c>sweep run</c> refuse a sweep whose data set lies outside this host's dataset roots (the
/// bundled MNIST and <c>Worker__DatasetRoots</c>) before anything runs or is stored.
/// </summary>
public sealed class DatasetRootsCommandTests
{
    private const string Sweep1 = "name: elsewhere\nmethod: grid\nepochs: 1\ntrain_limit: 100\nparameters:\n  model:\n    value: mlp\n";

    [Fact]
    public async Task Validate_refuses_a_sweep_level_dataset_outside_the_roots_naming_the_folder()
    {
        using var temp = new TempDirectory();
        string outside = Directory.CreateDirectory(temp.File("outside")).FullName;
        string file = await WriteSweepAsync(temp, $"dataset: {outside}\n");

        var result = await Sweep.RunAsync("validate", file);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"error: {file}: dataset: {outside}: outside the dataset roots (", result.Error.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("add the folder to Worker:DatasetRoots (environment Worker__DatasetRoots, ;-separated)", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Run_refuses_a_dataset_parameter_value_that_climbs_out_of_the_bundled_mnist_and_stores_nothing()
    {
        using var temp = new TempDirectory();
        string file = await WriteSweepAsync(temp, "");
        await File.AppendAllTextAsync(file, "  dataset:\n    values: [mnist, data/mnist/../../src]\n");

        var result = await Sweep.RunAsync("run", file, "--db", temp.File("store.db"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"dataset: {Path.GetFullPath("src")}: outside the dataset roots", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("mnist: outside", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("store.db")));
    }

    [Fact]
    public async Task A_folder_below_a_configured_root_is_accepted()
    {
        using var temp = new TempDirectory();
        string inside = Directory.CreateDirectory(temp.File("datasets/fashion")).FullName;
        string file = await WriteSweepAsync(temp, $"dataset: {inside}\n");

        using var validate = SweepProcess.Start(new Dictionary<string, string> { ["Worker__DatasetRoots"] = $"/nonexistent;{temp.File("datasets")}" }, "validate", file);

        Assert.Equal(ExitCodes.Ok, await validate.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("error:", validate.Output, StringComparison.Ordinal);
    }

    private static async Task<string> WriteSweepAsync(TempDirectory temp, string extra)
    {
        string file = temp.File("sweep.yaml");
        await File.WriteAllTextAsync(file, extra + Sweep1);
        return file;
    }
}

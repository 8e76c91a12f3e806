using System.Text.Json;

namespace SweepRunner.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Grid_example_exits_0_and_lists_its_trials()
    {
        var result = await Sweep.RunAsync("validate", Example("beta-vae.yaml"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.Error);
        Assert.Contains("grid search, 5 trials", result.Output, StringComparison.Ordinal);
        Assert.Contains("metric: test.total (minimize)", result.Output, StringComparison.Ordinal);
        foreach (var beta in new[] { "1.0", "2.0", "4.0", "7.0", "16.0" })
        {
            Assert.Matches($@"\b{beta.Replace(".", @"\.", StringComparison.Ordinal)}\b", result.Output);
        }

        Assert.Matches(@"5\s+mlp\s+16\.0\s+0\s+2\s+5000\s+[0-9a-f]{12}", result.Output);
    }

    [Fact]
    public async Task Random_example_prints_the_count_the_domains_and_the_notices()
    {
        var result = await Sweep.RunAsync("validate", Example("random-lr.yaml"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("random search, 20 trials", result.Output, StringComparison.Ordinal);
        Assert.Contains("log_uniform_values [0.0001, 0.01]", result.Output, StringComparison.Ordinal);
        Assert.Contains("early stopping: hyperband: eta 3, milestones at epochs 1, 3", result.Output, StringComparison.Ordinal);
        Assert.Contains("notice: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("program: ignored", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_lists_every_trial_with_its_hash_and_canonical_config()
    {
        var result = await Sweep.RunAsync("validate", Example("quick.yaml"), "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        Assert.Equal("grid", root.GetProperty("method").GetString());
        Assert.Equal(2, root.GetProperty("trial_count").GetInt32());
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([1.0, 4.0], trials.Select(trial => trial.GetProperty("config").GetProperty("beta").GetDouble()));
        Assert.All(trials, trial => Assert.Matches("^[0-9a-f]{64}$", trial.GetProperty("hash").GetString()!));
    }

    [Fact]
    public async Task Bad_file_exits_2_with_each_error_as_file_line_column_path_message()
    {
        var path = temp.File("beta.yaml");
        await File.WriteAllTextAsync(path, "method: grid\nparameters:\n  beta:\n    values: [1, 2, -1]\n  model:\n    values: [mlp, rnn]\n");

        var result = await Sweep.RunAsync("validate", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            [
                $"error: {path}:4:20: parameters.beta.values[2]: expected a number > 0, found -1",
                $"error: {path}:6:19: parameters.model.values[1]: expected mlp, cnn or cvae, found rnn",
            ],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("trials", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var path = temp.File("absent.yaml");

        var result = await Sweep.RunAsync("validate", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: {path}: file not found", result.Error.Trim());
    }

    [Fact]
    public async Task Missing_argument_exits_2()
    {
        var result = await Sweep.RunAsync("validate");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    private static string Example(string name) => Examples.Find(name);
}

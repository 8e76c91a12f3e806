using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Cli.Tests;

/// <summary>A sweep file with a bad <c>trial_timeout</c> is refused by <c>sweep submit</c> (exit 2) at its line and column, and nothing is stored.</summary>
public sealed class TrialTimeoutSubmitTests(InProcessCoordinator coordinator) : IClassFixture<InProcessCoordinator>
{
    [Theory]
    [InlineData("0s", "found 0s")]
    [InlineData("-5m", "found -5m")]
    [InlineData("abc", "found abc")]
    [InlineData("5", "found 5; a number needs its unit: 5s, 5m or 5h")]
    public async Task A_bad_trial_timeout_exits_2_naming_line_and_column_and_stores_nothing(string written, string found)
    {
        using var temp = new TempDirectory();
        string spec = temp.File("timeout.yaml");
        await File.WriteAllTextAsync(spec, $"method: grid\nparameters:\n  beta: {{values: [1]}}\ntrial_timeout: {written}\n");
        int before = (await coordinator.Service<SweepStore>().ListAsync()).Count;

        var result = await Sweep.RunAsync("submit", spec, "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            $"error: timeout.yaml:4:16: trial_timeout: expected a duration such as 90s, 30m, 2h or 1h30m (whole hours h, minutes m, seconds s), at least 1s; {found}",
            result.Error.Trim());
        Assert.Equal(before, (await coordinator.Service<SweepStore>().ListAsync()).Count);
    }
}

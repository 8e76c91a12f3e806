namespace SweepRunner.Cli.Tests;

/// <summary><c>sweep run</c> into output that is not a terminal (here a test console's writer): event lines, no redrawn table.</summary>
[Collection(TrainingGroup.Name)]
public sealed class RunEventLinesTests
{
    [Fact]
    public async Task A_sweep_run_into_a_log_prints_one_line_per_trial_event_and_no_table()
    {
        using var temp = new TempDirectory();

        var result = await Sweep.RunAsync("run", Examples.Find("quick.yaml"), "--db", temp.File("store.db"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error + result.Output);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^API: http://127\.0\.0\.1:\d+$", lines[0]);
        Assert.Equal($"Dashboard: {lines[0]["API: ".Length..]}/", lines[1]);
        Assert.Matches(@"^sweep [0-9a-f]{8} \(quick\): 2 trials, ", lines[2]);
        foreach (int trial in new[] { 1, 2 })
        {
            Assert.Single(lines, line => line.StartsWith($"trial {trial} started: beta=", StringComparison.Ordinal));
            Assert.Single(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"^trial {trial} epoch 1/1: train \d+\.\d\d \(recon \d+\.\d\d, KL \d+\.\d\d\), test \d+\.\d\d"));
            Assert.Single(lines, line => line.StartsWith($"trial {trial} completed: test loss ", StringComparison.Ordinal));
        }
        Assert.Single(lines, line => line.EndsWith("(quick): completed, 2/2 trials ended", StringComparison.Ordinal));
        Assert.DoesNotContain("━", result.Output, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

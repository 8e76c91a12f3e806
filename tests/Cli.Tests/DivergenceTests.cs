namespace SweepRunner.Cli.Tests;

[Collection(TrainingGroup.Name)]
public sealed class DivergenceTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Diverging_run_exits_1_saying_so()
    {
        // Seeded, so this learning rate blows the loss up at the same early batch every time.
        var result = await Sweep.RunAsync("train", "--lr", "1e8", "--train-limit", "1000", "--out", temp.Path);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: diverged: loss is ", result.Error, StringComparison.Ordinal);
        Assert.Contains("no checkpoint was written", result.Error, StringComparison.Ordinal);
    }
}

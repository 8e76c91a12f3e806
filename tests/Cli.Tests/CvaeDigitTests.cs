namespace SweepRunner.Cli.Tests;

[Collection(TrainingGroup.Name)]
public sealed class CvaeDigitTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Cvae_with_a_digit_writes_the_samples_and_the_manifold_of_that_digit()
    {
        // A small IWAE estimate keeps the CNN decoder's share of the test short.
        var result = await Sweep.RunAsync(
            "train", "--model", "cvae", "--digit", "7", "--train-limit", "500", "--epochs", "1",
            "--iwae-samples", "10", "--iwae-examples", "100", "--out", temp.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        RunFiles.AssertPng(temp.File("digit-7.png"), 280, 280);
        RunFiles.AssertPng(temp.File("manifold-digit-7.png"), 370, 380);
        RunFiles.AssertPng(temp.File("latent-scatter.png"), 880, 740);
        Assert.False(File.Exists(temp.File("samples.png")));
        Assert.False(File.Exists(temp.File("manifold-digit-0.png")));
        Assert.Single(RunFiles.Metrics(temp.Path).Epochs);
        Assert.Contains("\"digit\": 7", File.ReadAllText(temp.File("config.json")), StringComparison.Ordinal);
    }
}

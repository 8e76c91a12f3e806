namespace SweepRunner.Cli.Tests;

/// <summary>One <c>sweep train</c> of the MLP for 2 epochs on 1000 images, read and resumed by several tests.</summary>
public sealed class TrainedMlpFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory temp = new();
    private CommandResult? result;

    public string Out => temp.File("mlp");

    public CommandResult Result => result ?? throw new InvalidOperationException("the run has not happened yet");

    public async Task InitializeAsync() =>
        result = await Sweep.RunAsync("train", "--model", "mlp", "--epochs", "2", "--train-limit", "1000", "--out", Out);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => temp.Dispose();
}

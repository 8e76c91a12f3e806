namespace SweepRunner.Cli.Tests;

/// <summary><c>sweep worker</c>'s own options, checked before it tries to join a cluster.</summary>
public sealed class WorkerCommandTests
{
    [Theory]
    [InlineData("9464x")]
    [InlineData("70000")]
    public async Task A_metrics_port_that_is_neither_a_port_nor_off_exits_2_saying_what_was_given(string port)
    {
        var worker = await Sweep.RunAsync("worker", "--postgres", "Host=nowhere.invalid;Database=sweeps", "--metrics-port", port);

        Assert.Equal(ExitCodes.BadInput, worker.ExitCode);
        Assert.Equal($"error: --metrics-port: expected a port 0-65535 (0: any free port) or off, got '{port}'", worker.Error.Trim());
    }
}

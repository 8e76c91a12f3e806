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

    [Theory]
    [InlineData("-gpu", "error: --tag: `-gpu` is not a tag; expected a lower-case tag: a letter or digit, then letters, digits, `-` or `_`, at most 32 characters")]
    [InlineData("a,b", "error: --tag: `a,b` is not a tag; expected a lower-case tag: a letter or digit, then letters, digits, `-` or `_`, at most 32 characters")]
    public async Task A_tag_that_is_not_a_lower_case_identifier_exits_2_naming_it(string tag, string expected)
    {
        var worker = await Sweep.RunAsync("worker", "--postgres", "Host=nowhere.invalid;Database=sweeps", "--tag", "gpu", "--tag", tag);

        Assert.Equal(ExitCodes.BadInput, worker.ExitCode);
        Assert.Equal(expected, worker.Error.Trim());
    }

    [Fact]
    public async Task More_tags_than_a_worker_may_carry_exit_2()
    {
        string[] tags = [.. Enumerable.Range(1, 9).SelectMany(i => new[] { "--tag", $"t{i}" })];

        var worker = await Sweep.RunAsync(["worker", "--postgres", "Host=nowhere.invalid;Database=sweeps", .. tags]);

        Assert.Equal(ExitCodes.BadInput, worker.ExitCode);
        Assert.Equal("error: --tag: 9 tags; a worker carries at most 8", worker.Error.Trim());
    }
}

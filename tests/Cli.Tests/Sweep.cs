using System.CommandLine;
using Spectre.Console.Testing;

namespace SweepRunner.Cli.Tests;

/// <summary>Runs <c>sweep</c> in this process, as Program.cs does, with a test console and captured writers.</summary>
public static class Sweep
{
    public static Task<CommandResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public static async Task<CommandResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        // Interactive, so that the live progress display is drawn as in a terminal.
        using var console = new TestConsole().Interactive();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        int exitCode = await SweepCommand.InvokeAsync(SweepCommand.Create(console), args, invocation, cancellationToken);
        return new CommandResult(exitCode, output.ToString() + console.Output, error.ToString());
    }
}

using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep cancel ID</c>: cancels a sweep; its running trials stop at their workers' next report.</summary>
internal static class CancelCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var command = new Command("cancel", "Cancel a sweep and its pending and running trials");
        command.Arguments.Add(id);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var cancelled = await client.CancelAsync(await client.ResolveSweepAsync(parseResult.GetValue(id)!, cancellationToken), cancellationToken);
            remote.Answer(parseResult, console, cancelled, (output, c) => output.Profile.Out.Writer.WriteLine($"sweep {c.SweepId} ({c.Name}): {c.Status}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep cancel ID</c>: cancels a sweep; its running trials stop at their workers' next report.</summary>
internal static class CancelCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var id = RemoteOptions.IdArgument("sweep");
        var command = new Command("cancel", "Cancel a sweep and its pending and running trials");
        command.Arguments.Add(id);
        var remote = new RemoteOptions();
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var cancelled = await client.CancelAsync(parseResult.GetValue(id)!.Value, cancellationToken);
            if (parseResult.GetValue(remote.Json))
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(cancelled, RemoteOptions.IndentedJson));
            else
                console.Profile.Out.Writer.WriteLine($"sweep {cancelled.SweepId} ({cancelled.Name}): {cancelled.Status}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep resume ID</c>: a cancelled sweep goes on where it stopped; its cancelled trials resume from their last
/// checkpoints and the search proposes the rest.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var command = new Command("resume", "Resume a cancelled sweep where it stopped: its cancelled trials from their last checkpoints, then what the search has left");
        command.Arguments.Add(id);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var resumed = await client.ResumeAsync(await client.ResolveSweepAsync(parseResult.GetValue(id)!, cancellationToken), cancellationToken);
            remote.Answer(parseResult, console, resumed, (output, r) =>
                output.Profile.Out.Writer.WriteLine($"sweep {r.SweepId} ({r.Name}): {r.Status}, {r.OpenTrials} of {r.Trials} trials pending or running"));
            return ExitCodes.Ok;
        });
        return command;
    }
}

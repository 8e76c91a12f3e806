using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Cli.Remote;
using SweepRunner.Storage.Records;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep watch ID</c>: what <c>sweep run</c> shows (the live table, or event lines when the output is not a
/// terminal) for a sweep on the coordinator, until it ends.
/// </summary>
internal static class WatchCommand
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var command = new Command("watch", "Follow a sweep live until it ends; exit 0 when it completed");
        command.Arguments.Add(id);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var sweepId = await client.ResolveSweepAsync(parseResult.GetValue(id)!, cancellationToken);
            bool asJson = parseResult.GetValue(remote.Json);
            var progress = await SweepFollower.FollowAsync(console, new RemoteProgress(client, sweepId), RefreshInterval, quiet: asJson, cancellationToken);
            if (asJson) console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(await client.GetSweepAsync(sweepId, cancellationToken), RemoteOptions.IndentedJson));
            return progress.Sweep.Status == SweepStatus.Completed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}

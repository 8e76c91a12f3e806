using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep submit FILE</c>: sends a sweep file to the coordinator, which validates, stores and starts it.</summary>
internal static class SubmitCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var file = new Argument<string>("FILE") { Description = "Sweep file: YAML in W&B's sweep format (docs/sweep-format.md)" };
        var command = new Command("submit", "Submit a sweep file to the coordinator; its workers train the trials");
        command.Arguments.Add(file);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            string path = parseResult.GetRequiredValue(file);
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CoordinatorException(ExitCodes.BadInput, $"{path}: file not found");
            }
            var started = await client.SubmitAsync(yaml, Path.GetFileName(path), cancellationToken);
            remote.Answer(parseResult, console, started,
                (output, s) => output.Profile.Out.Writer.WriteLine($"submitted sweep {s.SweepId} ({s.Name}): {s.Trials} trials, {s.Status}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep retry ID [--failed | --trial N ...]</c>: queues a sweep's failed trials again (or the ones named), each on
/// its next attempt, resuming from its last checkpoint. A coordinator's command: an embedded <c>sweep run</c> has no
/// queue left to put them in once it has exited.
/// </summary>
internal static class RetryCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var failed = new Option<bool>("--failed") { Description = "Retry every failed trial of the sweep (the default without --trial)" };
        var trials = new Option<int[]>("--trial")
        {
            Description = "Retry trial N of the sweep (its number, as tables show it), if it failed, was cancelled or was stopped early; repeatable",
            HelpName = "N",
            CustomParser = result => [.. result.Tokens.Select(token =>
                int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out int number) && number >= 1
                    ? number
                    : Invalid(result, token.Value))],
        };
        var command = new Command("retry", "Queue a sweep's failed trials again (or those given with --trial), resuming from their last checkpoints; a finished sweep runs again. Needs a coordinator: `sweep run` cannot retry");
        command.Arguments.Add(id);
        command.Options.Add(failed);
        command.Options.Add(trials);
        command.Validators.Add(result =>
        {
            if (result.GetValue(failed) && result.GetValue(trials) is { Length: > 0 }) result.AddError("--failed and --trial: give one of them (--failed retries every failed trial, --trial the trials named)");
        });
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            int[]? numbers = parseResult.GetValue(trials) is { Length: > 0 } chosen ? [.. chosen.Distinct()] : null;
            var retried = await client.RetryAsync(await client.ResolveSweepAsync(parseResult.GetValue(id)!, cancellationToken), numbers, cancellationToken);
            remote.Answer(parseResult, console, retried, (output, r) =>
            {
                output.Profile.Out.Writer.WriteLine($"sweep {r.Sweep.SweepId} ({r.Sweep.Name}): {r.Sweep.Status}");
                foreach (var trial in r.Trials) output.Profile.Out.Writer.WriteLine($"trial {trial.Number} queued again: attempt {trial.Attempt}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Invalid(System.CommandLine.Parsing.ArgumentResult result, string token)
    {
        result.AddError($"--trial: {token} is not valid; expected a trial number (an integer >= 1)");
        return 0;
    }
}

using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Ids;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// What every client command shares: the coordinator it talks to (<see cref="ConnectionOptions"/>, on the root),
/// <c>--json</c>, its sweep ID argument, and how a command's <see cref="CoordinatorException"/> becomes <c>error:</c>
/// lines and its exit code.
/// </summary>
internal sealed class RemoteOptions(ConnectionOptions connection)
{
    public static JsonSerializerOptions IndentedJson { get; } = new(ApiJson.Options) { WriteIndented = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the answer as JSON (the API's documents)" };

    /// <summary>Prints <paramref name="document"/> as JSON under <c>--json</c>, else as <paramref name="describe"/> shows it to people.</summary>
    public void Answer<T>(ParseResult parseResult, IAnsiConsole console, T document, Action<IAnsiConsole, T> describe)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(describe);
        if (parseResult.GetValue(Json)) console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(document, IndentedJson));
        else describe(console, document);
    }

    /// <summary>Adds the options to <paramref name="command"/> and runs <paramref name="action"/> with a client of the coordinator.</summary>
    public void Attach(Command command, Func<ParseResult, CoordinatorClient, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                using var client = connection.Connect(parseResult);
                return await action(parseResult, client, cancellationToken);
            }
            catch (CoordinatorException ex)
            {
                foreach (var line in ex.Errors) await error.WriteLineAsync($"error: {line}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Cancelled;
            }
        });
    }

    /// <summary>
    /// The ID argument of a sweep: a whole id or its start, such as the short id tables show (resolved by
    /// <see cref="CoordinatorClient.ResolveSweepAsync"/>); anything else is a parse error (exit 2).
    /// </summary>
    public static Argument<string?> IdArgument(bool optional = false) =>
        IdArgument("ID", "sweep", "The sweep's id, or its start such as the 8 characters tables show" + (optional ? " [default: all sweeps]" : ""), optional);

    /// <summary>The TRIAL argument: a trial's whole id or its start, as <see cref="IdArgument(bool)"/> takes a sweep's.</summary>
    public static Argument<string?> TrialIdArgument() =>
        IdArgument("TRIAL", "trial", "The trial's id, or its start such as the 8 characters tables show", optional: false);

    private static Argument<string?> IdArgument(string name, string what, string description, bool optional) => new(name)
    {
        Description = description,
        Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            string token = result.Tokens[^1].Value;
            if (Guid.TryParse(token, out _) || IdPrefix.TryParse(token, out _)) return token;
            result.AddError($"{name}: {token} is not a {what} id or its start (hex digits, such as 3f9c2a7e)");
            return null;
        },
    };
}

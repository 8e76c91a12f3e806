using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// What every client command shares: <c>--coordinator URL</c>, <c>--token</c>, <c>--json</c>, and how a command's
/// <see cref="CoordinatorException"/> becomes <c>error:</c> lines and its exit code.
/// </summary>
internal sealed class RemoteOptions
{
    public const string CoordinatorVariable = "SWEEPRUNNER_COORDINATOR";

    public const string TokenVariable = "SWEEPRUNNER_TOKEN";

    public static JsonSerializerOptions IndentedJson { get; } = new(ApiJson.Options) { WriteIndented = true };

    public Option<Uri> Coordinator { get; } = new("--coordinator")
    {
        Description = $"The coordinator's URL [default: ${CoordinatorVariable}, else {CoordinatorApiHostingExtensions.DefaultUrl}]",
        HelpName = "URL",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(CoordinatorVariable) is { Length: > 0 } url ? url : CoordinatorApiHostingExtensions.DefaultUrl),
        CustomParser = result =>
        {
            string token = result.Tokens[^1].Value;
            if (Uri.TryCreate(token, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
            result.AddError($"--coordinator: {token} is not valid; expected an http:// or https:// URL");
            return null;
        },
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token for submit and cancel on a coordinator reachable from other hosts [default: ${TokenVariable}]",
        HelpName = "TOKEN",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
    };

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
        command.Options.Add(Coordinator);
        command.Options.Add(Token);
        command.Options.Add(Json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            using var client = CoordinatorClient.Create(parseResult.GetRequiredValue(Coordinator), parseResult.GetValue(Token));
            try
            {
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

    /// <summary>The ID argument of a sweep or trial (a GUID); anything else is a parse error (exit 2).</summary>
    public static Argument<Guid?> IdArgument(string what, bool optional = false) => new("ID")
    {
        Description = $"The {what}'s id" + (optional ? " [default: all sweeps]" : ""),
        Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            string token = result.Tokens[^1].Value;
            if (Guid.TryParse(token, out var id)) return id;
            result.AddError($"ID: {token} is not a {what} id (a GUID such as 0196f3b2-1c2d-7e4f-8a9b-0c1d2e3f4a5b)");
            return null;
        },
    };
}

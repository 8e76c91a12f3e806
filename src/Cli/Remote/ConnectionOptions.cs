using System.CommandLine;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// Which coordinator the client commands talk to, and with which token: <c>--coordinator URL</c>, and <c>--token-file</c>
/// or <c>--token</c> (else <c>$SWEEPRUNNER_TOKEN</c>).
/// Recursive options of the root command, so that they go before the subcommand or after it
/// (<c>sweep --coordinator URL status</c>, <c>sweep status --coordinator URL</c>), as a shell alias would put them.
/// </summary>
internal sealed class ConnectionOptions
{
    public const string CoordinatorVariable = "SWEEPRUNNER_COORDINATOR";

    public const string TokenVariable = "SWEEPRUNNER_TOKEN";

    public Option<Uri> Coordinator { get; } = new("--coordinator")
    {
        Description = $"The coordinator's URL, for the client commands [default: ${CoordinatorVariable}, else {CoordinatorApiHostingExtensions.DefaultUrl}]",
        HelpName = "URL",
        Recursive = true,
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
        Description = $"Bearer token for the coordinator, when it needs one [default: ${TokenVariable}]; note: a command line shows in the process list, prefer --token-file or ${TokenVariable}",
        HelpName = "TOKEN",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
    };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        Description = $"A file holding the bearer token (its text, without surrounding white space); instead of --token or ${TokenVariable}",
        HelpName = "FILE",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(Coordinator);
        root.Options.Add(Token);
        root.Options.Add(TokenFile);
    }

    /// <summary>A client of the coordinator the parsed command line names; throws <see cref="CoordinatorException"/> (exit 2) for a token that cannot be used.</summary>
    public CoordinatorClient Connect(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return CoordinatorClient.Create(parseResult.GetRequiredValue(Coordinator), ReadToken(parseResult));
    }

    // --token-file over $SWEEPRUNNER_TOKEN; with --token, which of the two was meant is not for us to guess.
    private string? ReadToken(ParseResult parseResult)
    {
        if (parseResult.GetValue(TokenFile) is not { } file) return parseResult.GetValue(Token);
        if (parseResult.GetResult(Token) is { Implicit: false })
            throw new CoordinatorException(ExitCodes.BadInput, "--token and --token-file: give one of them");
        return SweepRunner.Coordinator.Api.TokenFile.TryRead(file.FullName, "--token-file", out var token, out var error) ? token : throw new CoordinatorException(ExitCodes.BadInput, error);
    }
}

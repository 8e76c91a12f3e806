using System.CommandLine;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// Which coordinator the client commands talk to, and with which token: <c>--coordinator URL</c> and <c>--token</c>.
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
        Description = $"Bearer token for submit, cancel, resume and delete on a coordinator reachable from other hosts [default: ${TokenVariable}]",
        HelpName = "TOKEN",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
    };

    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(Coordinator);
        root.Options.Add(Token);
    }

    /// <summary>A client of the coordinator the parsed command line names.</summary>
    public CoordinatorClient Connect(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return CoordinatorClient.Create(parseResult.GetRequiredValue(Coordinator), parseResult.GetValue(Token));
    }
}

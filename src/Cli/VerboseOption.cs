using System.CommandLine;

namespace SweepRunner.Cli;

/// <summary><c>--verbose</c>, an option of every command: framework logs (Orleans, ASP.NET Core, EF Core) and full exceptions.</summary>
internal static class VerboseOption
{
    public const string Name = "--verbose";

    public static Option<bool> Create() => new(Name)
    {
        Description = "Show the frameworks' logs and full exceptions (also: $Logging__LogLevel__CATEGORY=LEVEL)",
        Recursive = true,
    };

    /// <summary>Whether <paramref name="parseResult"/> asks for verbose output.</summary>
    public static bool IsSet(ParseResult parseResult) => parseResult.GetValue<bool>(Name);
}

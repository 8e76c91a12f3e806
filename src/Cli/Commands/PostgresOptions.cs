using System.CommandLine;
using SweepRunner.Storage.Connection;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>--postgres CONN</c> and <c>--postgres-file FILE</c>: the sweep store's connection string on the command line, or
/// in a file. A command line is visible to every user of the host (<c>ps</c>), so a password belongs in the file or in
/// <c>ConnectionStrings__SweepRunner</c>; <c>--postgres</c> stays for convenience, and its help says so.
/// </summary>
internal sealed class PostgresOptions
{
    /// <summary>The environment variable that gives the connection when neither option does.</summary>
    public const string EnvironmentVariable = $"ConnectionStrings__{StorageConnection.ConnectionStringName}";

    private readonly Option<string?> inline;

    private readonly Option<string?> file = new("--postgres-file")
    {
        Description = "A file holding the connection string (one line), so that its password stays out of the process list",
        HelpName = "FILE",
    };

    /// <param name="store">What the connection is for, and its default, for the help of <c>--postgres</c>.</param>
    public PostgresOptions(string store) => inline = new("--postgres")
    {
        Description = $"{store}; visible to other users in the process list: prefer ${EnvironmentVariable} or --postgres-file",
        HelpName = "CONN",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(inline);
        command.Options.Add(file);
    }

    /// <summary>The connection given by one of the options; null when neither was given.</summary>
    /// <exception cref="InputException">Both were given, or the file cannot be read or is empty.</exception>
    public string? Resolve(ParseResult parseResult)
    {
        string? given = parseResult.GetValue(inline);
        string? path = parseResult.GetValue(file);
        if (given is not null && path is not null) throw new InputException("give --postgres or --postgres-file, not both");
        if (path is null) return given;
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--postgres-file: cannot read {path}: {ex.Message}");
        }
        return text.Length > 0 ? text : throw new InputException($"--postgres-file: {path} is empty; it should hold the connection string, Host=…;Database=…");
    }
}

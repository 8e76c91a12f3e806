using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Cli.Commands;

/// <summary>Reads a sweep file for a command, turning every way it can be unusable into <c>error:</c> lines.</summary>
internal static class SweepFile
{
    /// <summary>The parsed file, or null after writing one line per problem to <paramref name="error"/> (exit code 2).</summary>
    public static ParsedSweepSpec? TryRead(string path, TextWriter error)
    {
        try
        {
            return SweepSpecParser.ParseFile(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            error.WriteLine($"error: {path}: file not found");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {path}: cannot be read: {exception.Message}");
        }
        catch (SweepSpecException exception)
        {
            foreach (var specError in exception.Errors) error.WriteLine($"error: {specError}");
        }
        return null;
    }
}

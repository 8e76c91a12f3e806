using System.Diagnostics.CodeAnalysis;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// A token kept in a file, so that it never shows on a command line (which every user of the host can read in the
/// process list): the file's text without the surrounding white space, such as the newline an editor or echo adds.
/// </summary>
public static class TokenFile
{
    /// <summary>The token in <paramref name="path"/>, or why there is none (an unreadable or empty file); <paramref name="what"/> names the setting in that message.</summary>
    public static bool TryRead(string path, string what, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        token = null;
        error = null;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{what}: cannot read {path}: {ex.Message}";
            return false;
        }

        if (token.Length > 0) return true;
        token = null;
        error = $"{what}: {path} is empty; expected the token";
        return false;
    }
}

using System.Text.RegularExpressions;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// A <c>.dockerignore</c> read as Docker reads it: patterns in order, the last one that matches a path or one of its parent
/// folders decides, <c>!</c> re-includes, <c>*</c> and <c>?</c> stay within one path segment, <c>**</c> spans any number.
/// </summary>
public sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Excludes)> rules)
{
    public static DockerIgnore Load(string path) =>
        new([.. File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith('!') ? (ToRegex(line[1..]), false) : (ToRegex(line), true))]);

    /// <summary>Whether <paramref name="relativePath"/> ('/'-separated, from the context's root) stays out of the build context.</summary>
    public bool Excludes(string relativePath)
    {
        string[] segments = relativePath.Split('/');
        var pathAndParents = Enumerable.Range(1, segments.Length).Select(count => string.Join('/', segments[..count])).ToList();
        bool excluded = false;
        foreach (var (pattern, excludes) in rules)
        {
            if (pathAndParents.Any(pattern.IsMatch)) excluded = excludes;
        }
        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        string cleaned = pattern.Trim('/');
        var regex = new System.Text.StringBuilder("^");
        for (int i = 0; i < cleaned.Length; i++)
        {
            char c = cleaned[i];
            if (c == '*' && i + 1 < cleaned.Length && cleaned[i + 1] == '*')
            {
                bool slashFollows = i + 2 < cleaned.Length && cleaned[i + 2] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}

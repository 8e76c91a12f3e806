namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>Finds what a misspelt key or name was probably meant to be.</summary>
internal static class Spelling
{
    /// <summary>The candidate closest to <paramref name="word"/> by edit distance (a swap of neighbours counting one), if close enough to be a typo.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        int allowed = Math.Clamp(word.Length / 3, 1, 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(word.ToLowerInvariant(), candidate)))
            .Where(match => match.Distance <= allowed)
            .OrderBy(match => match.Distance)
            .ThenBy(match => match.Candidate, StringComparer.Ordinal)
            .Select(match => match.Candidate)
            .FirstOrDefault();
    }

    /// <summary><c> (did you mean `x`?)</c> when a candidate is close, else empty.</summary>
    public static string Suggestion(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } closest ? $" (did you mean `{closest}`?)" : "";

    // Optimal string alignment distance: Levenshtein plus transposition of adjacent characters.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;

namespace SweepRunner.Storage.Ids;

/// <summary>
/// The start of a sweep's or trial's id as a person types it, the way git and docker take the start of a hash: a
/// short id (<c>3f9c2a7e</c>, the first <see cref="ShortLength"/> characters) or any other start of the id's canonical
/// form, up to the whole id — hex digits in either case, hyphens where the canonical form has them.
/// </summary>
public readonly record struct IdPrefix
{
    /// <summary>How many characters of an id people are shown.</summary>
    public const int ShortLength = 8;

    // Where the canonical form ("D") has hex digits (x) and hyphens.
    private const string Shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    private IdPrefix(string value) => Value = value;

    /// <summary>The prefix in lower case, as PostgreSQL writes a uuid as text.</summary>
    public string Value { get; }

    /// <summary>What an id prefix looks like, for messages.</summary>
    public static string Expected => $"an id or its start (hex digits, such as the {ShortLength} that tables show)";

    /// <summary>The first <see cref="ShortLength"/> characters of <paramref name="id"/>.</summary>
    public static string ShortId(Guid id) => id.ToString()[..ShortLength];

    public static bool TryParse([NotNullWhen(true)] string? text, out IdPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrEmpty(text) || text.Length > Shape.Length) return false;
        for (int i = 0; i < text.Length; i++)
        {
            bool fits = Shape[i] == '-' ? text[i] == '-' : char.IsAsciiHexDigit(text[i]);
            if (!fits) return false;
        }

        prefix = new IdPrefix(text.ToLowerInvariant());
        return true;
    }

    public override string ToString() => Value;

    /// <summary>
    /// The ids that start with this prefix, in id order, at most <paramref name="limit"/>. The prefix goes to the database
    /// as a parameter of a LIKE; it holds hex digits and hyphens only, none of LIKE's wildcards. (Both providers compare
    /// the id as text: PostgreSQL writes it in lower case, and SQLite's LIKE ignores the case of ASCII letters.)
    /// </summary>
    internal async Task<IReadOnlyList<Guid>> MatchAsync(IQueryable<Guid> ids, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string pattern = Value + "%";
        return await ids.Where(id => EF.Functions.Like(id.ToString(), pattern)).OrderBy(id => id).Take(limit).ToListAsync(cancellationToken);
    }
}

namespace SweepRunner.Storage.Ids;

/// <summary>
/// The ids a short id matched: the one it stands for, none, or several, which messages name (the first
/// <see cref="MaxShown"/>; <see cref="More"/> when there are others).
/// </summary>
public sealed record IdPrefixMatch(IdPrefix Prefix, IReadOnlyList<Guid> Ids, bool More)
{
    public const int MaxShown = 10;

    /// <summary>The one id, when exactly one starts with the prefix.</summary>
    public Guid? Unique => Ids.Count == 1 ? Ids[0] : null;

    /// <summary>Asks <paramref name="find"/> (a store's <c>FindIdsAsync</c>) for the ids starting with <paramref name="prefix"/>.</summary>
    public static async Task<IdPrefixMatch> FindAsync(
        IdPrefix prefix, Func<IdPrefix, int, CancellationToken, Task<IReadOnlyList<Guid>>> find, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(find);
        var ids = await find(prefix, MaxShown + 1, cancellationToken);
        return new IdPrefixMatch(prefix, [.. ids.Take(MaxShown)], ids.Count > MaxShown);
    }

    /// <summary>Why there is not one <paramref name="what"/> (sweep, trial): none, or the candidates.</summary>
    public string Problem(string what) => Ids.Count == 0
        ? $"no {what} id starts with {Prefix}"
        : $"{what} id {Prefix} is ambiguous: {string.Join(", ", Ids)}{(More ? " and more" : "")} start with it; give more of its characters";
}

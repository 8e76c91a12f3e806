using SweepRunner.Storage.Ids;

namespace SweepRunner.Cli.Output;

/// <summary>
/// Ids as a table shows them: their first <see cref="IdPrefix.ShortLength"/> characters, as git and docker show hashes
/// (every command takes them back). Where two rows' ids start alike — ids made before they were random share their
/// first characters — those rows show as many more as tell them apart.
/// </summary>
internal sealed class ShortIdColumn(IEnumerable<Guid> ids)
{
    private readonly List<string> shown = [.. ids.Select(id => id.ToString())];

    public string Of(Guid id)
    {
        string text = id.ToString();
        int length = IdPrefix.ShortLength;
        while (length < text.Length && shown.Exists(other => other != text && other.StartsWith(text[..length], StringComparison.Ordinal))) length++;
        return text[..length];
    }
}

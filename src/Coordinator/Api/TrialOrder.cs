using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// How a sweep's trial table is sorted: by a column of the trial (<c>sort=test_total</c>) or by the value of one of its
/// config's parameters (<c>sort=config.beta</c>), ascending or descending (<c>order=asc|desc</c>).
/// </summary>
internal sealed record TrialOrder(TrialSortColumn Column, string? ConfigName, bool Descending)
{
    private const string ConfigPrefix = "config.";

    // The query's names are the columns' JSON names (test_total, created_at), as the trials' documents show them.
    private static readonly Dictionary<string, TrialSortColumn> Columns = Enum.GetValues<TrialSortColumn>()
        .ToDictionary(column => JsonNamingPolicy.SnakeCaseLower.ConvertName(column.ToString()), StringComparer.Ordinal);

    /// <summary>Number order, the order <c>page=</c> pages in.</summary>
    public bool IsNumberAscending => ConfigName is null && Column == TrialSortColumn.Number && !Descending;

    public static bool TryParse(string? sort, string? order, [NotNullWhen(true)] out TrialOrder? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        bool? descending = order?.ToLowerInvariant() switch
        {
            null or "asc" => false,
            "desc" => true,
            _ => null,
        };
        if (descending is null)
        {
            error = $"order: {order} is not valid; expected asc or desc";
            return false;
        }
        if (sort is null or "")
        {
            parsed = new TrialOrder(TrialSortColumn.Number, null, descending.Value);
        }
        else if (sort.StartsWith(ConfigPrefix, StringComparison.Ordinal) && sort.Length > ConfigPrefix.Length)
        {
            parsed = new TrialOrder(TrialSortColumn.Number, sort[ConfigPrefix.Length..], descending.Value);
        }
        else if (Columns.TryGetValue(sort, out var column))
        {
            parsed = new TrialOrder(column, null, descending.Value);
        }
        else
        {
            error = $"sort: unknown column {sort}; expected one of {string.Join(", ", Columns.Keys)}, {ConfigPrefix}NAME";
            return false;
        }
        error = null;
        return true;
    }
}

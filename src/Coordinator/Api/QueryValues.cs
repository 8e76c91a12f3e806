using System.Diagnostics.CodeAnalysis;
using SweepRunner.Common;

namespace SweepRunner.Coordinator.Api;

/// <summary>Query-string values the API reads: statuses, given as <c>?status=a&amp;status=b</c> or <c>?status=a,b</c>.</summary>
internal static class QueryValues
{
    public static bool TryParseStatuses<TStatus>(string[]? values, out IReadOnlyCollection<TStatus>? statuses, [NotNullWhen(false)] out string? error)
        where TStatus : struct, Enum
    {
        statuses = null;
        error = null;
        if (values is not { Length: > 0 }) return true;
        var parsed = new List<TStatus>();
        foreach (var value in values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            // Names only: Enum.TryParse would also take "1" for the second status.
            var match = Enum.GetValues<TStatus>().Where(status => string.Equals(status.LowerName(), value, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                error = $"status: {value} is not valid; expected {string.Join(", ", Enum.GetValues<TStatus>().Select(status => status.LowerName()))}";
                return false;
            }
            parsed.Add(match[0]);
        }
        statuses = parsed;
        return true;
    }
}

using System.Text.Json;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// A page of a sweep's trial table in a <see cref="TrialOrder"/>. A column is sorted by the database; a config value,
/// which is inside the config's JSON text, here: the sweep's (id, number, config) rows are read and ordered in memory
/// (numbers as numbers, then strings by ordinal, then booleans; trials without the parameter last in either order),
/// and only the page's trials are read whole.
/// </summary>
internal static class TrialTable
{
    public static async Task<SortedTrialPage> PageAsync(
        TrialStore trials, Guid sweepId, IReadOnlyCollection<TrialStatus>? statuses, TrialOrder order, int offset, int limit, CancellationToken cancellationToken)
    {
        if (order.ConfigName is not { } name)
        {
            return await trials.ListSortedAsync(
                new TrialSortQuery(sweepId) { Statuses = statuses, Column = order.Column, Descending = order.Descending, Offset = offset, Limit = limit },
                cancellationToken);
        }

        var rows = await trials.ListConfigsAsync(sweepId, statuses, cancellationToken);
        var comparer = new ConfigValueComparer(order.Descending);
        var pageIds = rows
            .Select(row => (row.Id, row.Number, Value: ConfigValue.Of(row.ConfigJson, name)))
            .OrderBy(row => row.Value, comparer).ThenBy(row => row.Number)
            .Skip(offset).Take(limit)
            .Select(row => row.Id)
            .ToList();
        var found = (await trials.ListByIdsAsync(sweepId, pageIds, cancellationToken)).ToDictionary(trial => trial.Id);
        return new SortedTrialPage([.. pageIds.Where(found.ContainsKey).Select(id => found[id])], rows.Count);
    }

    /// <summary>A config parameter's value as it sorts: <see cref="Kind"/> first, then the number or the text.</summary>
    private readonly record struct ConfigValue(ConfigValueKind Kind, double Number, string Text)
    {
        public static ConfigValue Of(string configJson, string name)
        {
            using var config = JsonDocument.Parse(configJson);
            if (!config.RootElement.TryGetProperty(name, out var value)) return new(ConfigValueKind.Missing, 0, "");
            return value.ValueKind switch
            {
                JsonValueKind.Number => new(ConfigValueKind.Number, value.GetDouble(), ""),
                JsonValueKind.String => new(ConfigValueKind.Text, 0, value.GetString() ?? ""),
                JsonValueKind.False => new(ConfigValueKind.Boolean, 0, ""),
                JsonValueKind.True => new(ConfigValueKind.Boolean, 1, ""),
                _ => new(ConfigValueKind.Missing, 0, ""),
            };
        }
    }

    private enum ConfigValueKind
    {
        Number,
        Text,
        Boolean,
        Missing,
    }

    /// <summary>Ascending or descending over the values a trial has; a trial without one last either way.</summary>
    private sealed class ConfigValueComparer(bool descending) : IComparer<ConfigValue>
    {
        public int Compare(ConfigValue x, ConfigValue y)
        {
            bool xMissing = x.Kind == ConfigValueKind.Missing, yMissing = y.Kind == ConfigValueKind.Missing;
            if (xMissing || yMissing) return xMissing.CompareTo(yMissing);
            int order = x.Kind != y.Kind
                ? x.Kind.CompareTo(y.Kind)
                : x.Number.CompareTo(y.Number) is var byNumber and not 0 ? byNumber : string.CompareOrdinal(x.Text, y.Text);
            return descending ? -order : order;
        }
    }
}

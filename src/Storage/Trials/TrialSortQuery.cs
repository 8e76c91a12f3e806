using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>
/// A page of a sweep's trials sorted by a column (nulls last in either order, ties by number), from an offset: what a
/// trial table with sortable headers and page buttons asks for.
/// </summary>
public sealed record TrialSortQuery(Guid SweepId)
{
    public IReadOnlyCollection<TrialStatus>? Statuses { get; init; }

    public TrialSortColumn Column { get; init; } = TrialSortColumn.Number;

    public bool Descending { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}

using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>A page of a sweep's trials in number order, optionally only some statuses or one worker's.</summary>
public sealed record TrialQuery(Guid SweepId)
{
    public const int MaxLimit = 1000;

    public IReadOnlyCollection<TrialStatus>? Statuses { get; init; }

    public string? Worker { get; init; }

    /// <summary>Start after this trial number: 0 for the first page, then the previous page's <see cref="TrialPage.NextAfterNumber"/>.</summary>
    public int AfterNumber { get; init; }

    public int Limit { get; init; } = 100;
}

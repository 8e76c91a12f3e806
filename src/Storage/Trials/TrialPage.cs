using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>One page of a trial listing; <see cref="NextAfterNumber"/> is null on the last page.</summary>
public sealed record TrialPage(IReadOnlyList<TrialRecord> Trials, int? NextAfterNumber);

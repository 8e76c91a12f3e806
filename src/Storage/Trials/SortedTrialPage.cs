using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Trials;

/// <summary>One page of a sorted trial listing and how many trials the whole listing has (<see cref="Total"/>).</summary>
public sealed record SortedTrialPage(IReadOnlyList<TrialRecord> Trials, int Total);

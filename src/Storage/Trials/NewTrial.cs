namespace SweepRunner.Storage.Trials;

/// <summary>
/// A trial to add: its configuration as canonical JSON, the caller's hash of it (unique within a sweep), and the
/// worker tags it requires (<see cref="Common.WorkerTags"/>; null or empty: any worker may train it).
/// </summary>
public sealed record NewTrial(string ConfigJson, string ConfigHash, IReadOnlyCollection<string>? RequiredTags = null);

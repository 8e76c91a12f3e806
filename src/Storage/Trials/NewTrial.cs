namespace SweepRunner.Storage.Trials;

/// <summary>A trial to add: its configuration as canonical JSON and the caller's hash of it (unique within a sweep).</summary>
public sealed record NewTrial(string ConfigJson, string ConfigHash);

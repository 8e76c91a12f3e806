namespace SweepRunner.Storage.Trials;

/// <summary>A trial's id, number and config, without the rest of its row: what sorting by a config value reads.</summary>
public sealed record TrialConfigRow(Guid Id, int Number, string ConfigJson);

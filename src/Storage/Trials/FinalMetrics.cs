namespace SweepRunner.Storage.Trials;

/// <summary>A trial's final test losses and latent analysis, stored as columns so the best trial is an indexed ORDER BY.</summary>
public sealed record FinalMetrics(double TestTotal, double TestRecon, double TestKl, double? IwaeNll = null, int? ActiveUnits = null);

namespace SweepRunner.Storage.Figures;

/// <summary>A stored figure without its bytes: what a listing shows.</summary>
public sealed record TrialFigureInfo(string Name, long SizeBytes, string Sha256);

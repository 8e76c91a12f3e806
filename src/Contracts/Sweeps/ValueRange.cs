namespace SweepRunner.Contracts.Sweeps;

/// <summary>The values a distribution can yield, <see cref="Min"/> itself excluded when <see cref="MinExcluded"/>.</summary>
internal readonly record struct ValueRange(double Min, double Max, bool MinExcluded = false);

using SweepRunner.Models.Training;

namespace SweepRunner.Models.Figures;

/// <summary>A named run's epochs, one set of curves in <see cref="LossCurves"/>.</summary>
public sealed record LossSeries(string Name, IReadOnlyList<EpochReport> Epochs);

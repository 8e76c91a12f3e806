using ScottPlot;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Plotting;

/// <summary>
/// A named run's epochs, one set of curves in <see cref="LossCurves"/>, drawn in <paramref name="Color"/> when given
/// (a sweep report colours runs by β) and otherwise in the next colour of the palette. Runs that share a legend entry
/// give it once: the later ones have an empty <paramref name="Name"/>.
/// </summary>
public sealed record LossSeries(string Name, IReadOnlyList<EpochReport> Epochs, Color? Color = null);

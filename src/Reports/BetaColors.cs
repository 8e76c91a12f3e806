using System.Globalization;
using ScottPlot;

namespace SweepRunner.Reports;

/// <summary>
/// The colour of each β in a sweep's charts: viridis from dark (smallest β) to green-yellow (largest), on a log
/// scale when the βs span a factor of ten or more (β sweeps are usually geometric). A legend names every β when
/// there are few, else a spread of them from the smallest to the largest.
/// </summary>
internal sealed class BetaColors
{
    public const int MaxLegendEntries = 8;

    // Viridis' last tenth is a yellow that barely shows on white.
    private const double ColormapEnd = 0.9;

    private static readonly ScottPlot.Colormaps.Viridis Colormap = new();

    private readonly double[] betas;
    private readonly bool logScale;

    public BetaColors(IEnumerable<double> betas)
    {
        this.betas = [.. betas.Distinct().Order()];
        if (this.betas.Length == 0) throw new ArgumentException("a sweep's charts need at least one β", nameof(betas));
        logScale = this.betas[0] > 0 && this.betas[^1] / this.betas[0] >= 10;
    }

    public Color Of(double beta)
    {
        if (betas.Length == 1) return Colormap.GetColor(ColormapEnd / 2);
        double position = logScale
            ? (Math.Log(beta) - Math.Log(betas[0])) / (Math.Log(betas[^1]) - Math.Log(betas[0]))
            : (beta - betas[0]) / (betas[^1] - betas[0]);
        return Colormap.GetColor(Math.Clamp(position, 0, 1) * ColormapEnd);
    }

    /// <summary>The βs a legend names: all of them, or <see cref="MaxLegendEntries"/> spread evenly from the smallest to the largest.</summary>
    public IReadOnlyList<double> LegendValues =>
        betas.Length <= MaxLegendEntries
            ? betas
            : [.. Enumerable.Range(0, MaxLegendEntries).Select(i => betas[(int)Math.Round(i * (betas.Length - 1) / (double)(MaxLegendEntries - 1))])];

    public static string Label(double beta) => string.Create(CultureInfo.InvariantCulture, $"β = {beta:G4}");
}

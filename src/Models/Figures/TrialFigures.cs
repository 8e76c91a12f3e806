using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Models.Figures;

/// <summary>
/// The figures of one finished trial, as the worker stores them and <c>sweep train</c> writes them: the latent
/// scatter of the test set, the digit manifold (one per digit for the CVAE, or only <c>digit</c>'s), 100 prior
/// samples and the loss curves.
/// </summary>
public static class TrialFigures
{
    public const string LatentScatterFileName = "latent-scatter.png";
    public const string LossCurvesFileName = "loss-curves.png";

    /// <summary>manifold.png, or manifold-digit-D.png for a CVAE's manifold of digit D.</summary>
    public static string ManifoldFileName(int? digit) => digit is { } d ? $"manifold-digit-{d}.png" : "manifold.png";

    /// <summary>samples.png, or digit-D.png when a CVAE's samples are all of digit D.</summary>
    public static string SamplesFileName(int? digit) => digit is { } d ? $"digit-{d}.png" : "samples.png";

    /// <summary>
    /// Renders every figure. <paramref name="seed"/> seeds the prior samples; <paramref name="digit"/> (CVAE only)
    /// picks the digit of the samples and the one manifold drawn. A model with latent dim 1 has no manifold.
    /// </summary>
    public static IReadOnlyList<FigureFile> Render(
        VariationalAutoencoder model, TensorSplit test, IReadOnlyList<EpochReport> history, ulong seed, int? digit)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (digit is not null && !model.IsConditional)
            throw new ArgumentException("only a conditional model draws the figures of one digit", nameof(digit));
        DigitArgument.Check(digit);

        var figures = new List<FigureFile>
        {
            new(LatentScatterFileName, LatentScatter.Render(model, test)),
        };
        if (model.LatentDim >= 2)
        {
            int?[] manifoldDigits = model.IsConditional
                ? digit is { } d ? [d] : [.. Enumerable.Range(0, VariationalAutoencoder.ClassCount).Select(i => (int?)i)]
                : [null];
            figures.AddRange(manifoldDigits.Select(m => new FigureFile(ManifoldFileName(m), DigitManifold.Render(model, m))));
        }
        figures.Add(new(SamplesFileName(digit), PriorSamples.Render(model, PriorSamples.DefaultCount, seed, digit).ToPng()));
        if (history.Count > 0) figures.Add(new(LossCurvesFileName, LossCurves.Render(history)));
        return figures;
    }

    /// <summary>Renders every figure into <paramref name="folder"/>; returns the files' full paths.</summary>
    public static IReadOnlyList<string> Write(
        string folder, VariationalAutoencoder model, TensorSplit test, IReadOnlyList<EpochReport> history, ulong seed, int? digit)
    {
        Directory.CreateDirectory(folder);
        return Render(model, test, history, seed, digit)
            .Select(figure =>
            {
                var path = Path.GetFullPath(Path.Combine(folder, figure.Name));
                AtomicFile.Write(path, figure.Png);
                return path;
            })
            .ToList();
    }
}

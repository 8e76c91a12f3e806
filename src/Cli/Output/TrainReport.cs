using System.Globalization;
using Spectre.Console;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Output;

/// <summary>The tables printed at the end of <c>sweep train</c>.</summary>
internal static class TrainReport
{
    public static void Write(IAnsiConsole console, IReadOnlyList<EpochReport> epochs, LatentAnalysis analysis, IEnumerable<string> files)
    {
        console.Write(EpochTable(epochs));
        console.Write(AnalysisTable(analysis));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"active units: {analysis.ActiveUnits} of {analysis.KlPerDimension.Count}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IWAE NLL: {analysis.IwaeNll:F2} nats ({analysis.IwaeSamples} samples on {analysis.IwaeExamples} test images)"));
        foreach (var file in files) console.WriteLine($"wrote {file}");
    }

    private static Table EpochTable(IReadOnlyList<EpochReport> epochs)
    {
        var table = new Table().Title("epochs").Border(TableBorder.Simple);
        // Narrow padding keeps all nine columns readable in an 80-column terminal.
        table.AddColumn(new TableColumn("epoch").PadLeft(0));
        foreach (var header in new[] { "train\ntotal", "train\nrecon", "train\nKL", "test\ntotal", "test\nrecon", "test\nKL", "seconds", "samples/s" })
            table.AddColumn(new TableColumn(header).RightAligned().PadLeft(0));
        foreach (var epoch in epochs)
        {
            table.AddRow(
                Format(epoch.Epoch, "D"), Format(epoch.Train.Total), Format(epoch.Train.Recon), Format(epoch.Train.Kl),
                Format(epoch.Test.Total), Format(epoch.Test.Recon), Format(epoch.Test.Kl), Format(epoch.Seconds, "F1"), Format(epoch.SamplesPerSecond, "F0"));
        }
        return table;
    }

    private static Table AnalysisTable(LatentAnalysis analysis)
    {
        var table = new Table().Title("latent dimensions (test set)").Border(TableBorder.Simple);
        table.AddColumn("dim");
        table.AddColumn(new TableColumn("KL").RightAligned());
        table.AddColumn(new TableColumn(Markup.Escape("Var E[z|x]")).RightAligned());
        table.AddColumn("active");
        for (int dim = 0; dim < analysis.KlPerDimension.Count; dim++)
        {
            double variance = analysis.MeanVariancePerDimension[dim];
            table.AddRow(
                Format(dim, "D"), Format(analysis.KlPerDimension[dim], "F3"), Format(variance, "F3"),
                variance > LatentStatistics.ActiveUnitThreshold ? "yes" : "no");
        }
        return table;
    }

    private static string Format(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Format(int value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

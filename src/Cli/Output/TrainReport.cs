using System.Globalization;
using System.Text.Json.Nodes;
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

    /// <summary>The <c>--profile</c> table: seconds per epoch in each phase and its share of the epoch.</summary>
    public static void WriteProfile(IAnsiConsole console, EpochProfiler profiler)
    {
        var seconds = profiler.SecondsPerEpoch;
        double epoch = seconds.Values.Sum();
        var table = new Table().Title($"where an epoch's time goes (mean of {profiler.Epochs})").Border(TableBorder.Simple);
        table.AddColumn("phase");
        table.AddColumn(new TableColumn("s/epoch").RightAligned());
        table.AddColumn(new TableColumn("share").RightAligned());
        foreach (var (phase, value) in seconds)
            table.AddRow(PhaseName(phase), Format(value, "F3"), Format(epoch > 0 ? value / epoch : 0, "P0"));
        table.AddRow("total", Format(epoch, "F3"), "");
        console.Write(table);
    }

    /// <summary>The <c>--profile</c> split as the JSON object <c>sweep train --json</c> prints: phase → seconds per epoch.</summary>
    public static JsonObject ProfileJson(EpochProfiler profiler)
    {
        var split = new JsonObject { ["epochs"] = profiler.Epochs };
        foreach (var (phase, value) in profiler.SecondsPerEpoch) split[PhaseName(phase)] = value;
        return split;
    }

    private static string PhaseName(EpochPhase phase) => phase.ToString().ToLowerInvariant();

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

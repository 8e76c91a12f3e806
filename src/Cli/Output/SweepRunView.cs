using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using SweepRunner.Common;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Records;

namespace SweepRunner.Cli.Output;

/// <summary>What <c>sweep run</c> draws: the trials table and a progress bar over ended trials.</summary>
internal static class SweepRunView
{
    private const int BarWidth = 40;

    public static IRenderable Render(SweepProgress progress)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title(Markup.Escape($"sweep {progress.Sweep.Name} ({IdPrefix.ShortId(progress.Sweep.Id)}): {progress.Sweep.Status.LowerName()}"));
        table.AddColumn(new TableColumn("trial").RightAligned());
        table.AddColumn("config");
        table.AddColumn(new TableColumn("epoch").RightAligned());
        table.AddColumn(new TableColumn("test loss").RightAligned());
        table.AddColumn("status");
        foreach (var row in progress.Trials)
        {
            var trial = row.Record;
            table.AddRow(
                trial.Number.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(SweepProgress.DescribeConfig(trial)),
                $"{trial.CurrentEpoch}/{SweepProgress.EpochsOf(trial)}",
                row.TestLoss?.ToString("F2", CultureInfo.InvariantCulture) ?? "",
                Status(trial));
        }
        return new Rows(table, Bar(progress.Ended, progress.Trials.Count));
    }

    private static string Status(TrialRecord trial) => trial.Status switch
    {
        TrialStatus.Completed => "[green]completed[/]",
        TrialStatus.Running => $"[blue]running[/] {Markup.Escape(trial.Worker ?? "")}",
        TrialStatus.Failed => $"[red]{SweepProgress.DescribeStatus(trial)}[/] {Markup.Escape(trial.FailureReason ?? "")}",
        TrialStatus.Stopped => "[yellow]stopped early[/]",
        var other => other.LowerName(),
    };

    private static Markup Bar(int ended, int total)
    {
        int filled = total == 0 ? 0 : ended * BarWidth / total;
        return new Markup($"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {ended}/{total} trials ended");
    }
}

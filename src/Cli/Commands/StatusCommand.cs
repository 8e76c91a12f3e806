using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Cli.Remote;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep status [ID]</c>: the coordinator's sweeps, or one sweep's trial counts, the pending trials no live worker
/// may take, progress, best trial and stored checkpoint bytes.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument(optional: true);
        var command = new Command("status", "List the sweeps, or show one: trials by status, progress, best trial so far, stored checkpoints");
        command.Arguments.Add(id);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            if (parseResult.GetValue(id) is not { } given)
            {
                var sweeps = await client.ListSweepsAsync(cancellationToken);
                remote.Answer(parseResult, console, sweeps, (output, list) => output.Write(SweepList(list)));
                return ExitCodes.Ok;
            }
            var detail = await client.GetSweepAsync(await client.ResolveSweepAsync(given, cancellationToken), cancellationToken);
            remote.Answer(parseResult, console, detail, Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table SweepList(IReadOnlyList<SweepSummary> sweeps)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "id", "name", "status", "trials", "metric", "created (UTC)" }) table.AddColumn(column);
        var ids = new ShortIdColumn(sweeps.Select(sweep => sweep.Id));
        foreach (var sweep in sweeps)
        {
            table.AddRow(ids.Of(sweep.Id), Markup.Escape(sweep.Name), sweep.Status, sweep.Trials.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{sweep.Metric} ({sweep.Goal})"), sweep.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static void Describe(IAnsiConsole console, SweepDetail detail)
    {
        var (sweep, progress) = (detail.Sweep, detail.Progress);
        var output = console.Profile.Out.Writer;
        output.WriteLine($"sweep {sweep.Id} ({sweep.Name}): {sweep.Status}, {progress.Ended}/{progress.Total} trials ended");
        output.WriteLine("trials: " + string.Join(", ", detail.TrialsByStatus.Where(pair => pair.Value > 0).Select(pair => $"{pair.Value} {pair.Key}")));
        foreach (var waiting in detail.Waiting ?? []) output.WriteLine($"waiting: {waiting.Describe()}");
        output.WriteLine(detail.Best is { } best
            ? string.Create(CultureInfo.InvariantCulture, $"best so far by {sweep.Metric} ({sweep.Goal}): trial {best.Number} ({best.Config.GetRawText()}), test loss {best.TestTotal:F2}")
            : $"best so far by {sweep.Metric}: none yet");
        output.WriteLine($"checkpoints: {ByteSize.Format(detail.CheckpointBytes)}");
    }
}

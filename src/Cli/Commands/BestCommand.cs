using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Cli.Remote;
using SweepRunner.Coordinator.Api;
using SweepRunner.Plotting;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep best ID [--metric M] [--pull DIR]</c>: the sweep's best trial; with <c>--pull</c> also its checkpoint
/// (verified against the coordinator's SHA-256), <c>config.json</c>, <c>metrics.json</c> and its figures (in
/// <c>DIR/figures</c>, each verified too), written into DIR.
/// </summary>
internal static class BestCommand
{
    public const string CheckpointFile = "checkpoint";
    public const string ConfigFile = "config.json";
    public const string MetricsFile = "metrics.json";
    public const string FiguresFolder = "figures";

    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var metric = new Option<string?>("--metric") { Description = "Rank by this final metric: test.total, test.recon, test.kl, iwae_nll, active_units [default: the sweep's]", HelpName = "M" };
        var goal = new Option<string?>("--goal") { Description = "minimize or maximize [default: the sweep's goal for its metric, else minimize]", HelpName = "G" };
        var pull = new Option<string?>("--pull") { Description = "Download the trial's checkpoint, config.json, metrics.json and its figures (PNG files, into DIR/figures) into DIR", HelpName = "DIR" };
        var command = new Command("best", "Show a sweep's best trial; --pull downloads its checkpoint (usable with sweep sample) and figures");
        command.Arguments.Add(id);
        command.Options.Add(metric);
        command.Options.Add(goal);
        command.Options.Add(pull);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var sweepId = await client.ResolveSweepAsync(parseResult.GetValue(id)!, cancellationToken);
            var best = await client.BestAsync(sweepId, parseResult.GetValue(metric), parseResult.GetValue(goal), cancellationToken);
            string? folder = parseResult.GetValue(pull) is { } given ? Path.GetFullPath(given) : null;
            var figures = folder is null ? null : await PullAsync(client, best, folder, cancellationToken);

            remote.Answer(parseResult, console, new BestAnswer(best, folder, figures), (shown, answer) =>
            {
                var output = shown.Profile.Out.Writer;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"best trial: {best.Number} ({best.Config.GetRawText()}), test loss {best.TestTotal:F2}, recon {best.TestRecon:F2}, KL {best.TestKl:F2} [{best.Id}]"));
                if (answer.Figures is { } pulledFigures)
                {
                    string pulled = string.Join(", ", [CheckpointFile, ConfigFile, MetricsFile, .. pulledFigures.Select(path => Path.Combine(FiguresFolder, Path.GetFileName(path)))]);
                    output.WriteLine($"pulled into {answer.Pulled}: {pulled}{(pulledFigures.Count == 0 ? " (the trial has no figures yet)" : "")}");
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The best trial and, after <c>--pull</c>, the folder and the figures' full paths.</summary>
    private sealed record BestAnswer(TrialSummary Trial, string? Pulled, IReadOnlyList<string>? Figures);

    /// <summary>Downloads everything first, then writes it into <paramref name="folder"/>; returns the figures' full paths.</summary>
    private static async Task<IReadOnlyList<string>> PullAsync(CoordinatorClient client, TrialSummary best, string folder, CancellationToken cancellationToken)
    {
        byte[] checkpoint = await client.DownloadCheckpointAsync(best.Id, cancellationToken);
        var detail = await client.GetTrialAsync(best.Id, cancellationToken);
        var figures = await client.DownloadFiguresAsync(best.Id, "--pull", cancellationToken);
        string figureFolder = Path.Combine(folder, FiguresFolder);
        try
        {
            Directory.CreateDirectory(figureFolder);
            // Atomic: an interrupted pull never leaves a truncated checkpoint that `sweep sample` would try to load.
            AtomicFile.Write(Path.Combine(folder, CheckpointFile), checkpoint);
            AtomicFile.Write(Path.Combine(folder, ConfigFile), JsonSerializer.SerializeToUtf8Bytes(best.Config, RemoteOptions.IndentedJson));
            AtomicFile.Write(Path.Combine(folder, MetricsFile), JsonSerializer.SerializeToUtf8Bytes(detail, RemoteOptions.IndentedJson));
            return [.. figures.Select(figure =>
            {
                string path = Path.Combine(figureFolder, figure.Name);
                AtomicFile.Write(path, figure.Png);
                return path;
            })];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CoordinatorException(ExitCodes.Failure, $"--pull: cannot write into {folder}: {ex.Message}");
        }
    }
}

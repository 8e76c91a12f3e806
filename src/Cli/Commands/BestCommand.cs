using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SweepRunner.Cli.Remote;
using SweepRunner.Coordinator.Api;
using SweepRunner.Models;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep best ID [--metric M] [--pull DIR]</c>: the sweep's best trial; with <c>--pull</c> also its checkpoint
/// (verified against the coordinator's SHA-256), <c>config.json</c> and <c>metrics.json</c>, written into DIR.
/// </summary>
internal static class BestCommand
{
    public const string CheckpointFile = "checkpoint";
    public const string ConfigFile = "config.json";
    public const string MetricsFile = "metrics.json";

    public static Command Create(IAnsiConsole console)
    {
        var id = RemoteOptions.IdArgument("sweep");
        var metric = new Option<string?>("--metric") { Description = "Rank by this final metric: test.total, test.recon, test.kl, iwae_nll, active_units [default: the sweep's]", HelpName = "M" };
        var goal = new Option<string?>("--goal") { Description = "minimize or maximize [default: the sweep's goal for its metric, else minimize]", HelpName = "G" };
        var pull = new Option<string?>("--pull") { Description = "Download the trial's checkpoint, config.json and metrics.json into DIR", HelpName = "DIR" };
        var command = new Command("best", "Show a sweep's best trial; --pull downloads its checkpoint (usable with sweep sample)");
        command.Arguments.Add(id);
        command.Options.Add(metric);
        command.Options.Add(goal);
        command.Options.Add(pull);
        var remote = new RemoteOptions();
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var best = await client.BestAsync(parseResult.GetValue(id)!.Value, parseResult.GetValue(metric), parseResult.GetValue(goal), cancellationToken);
            string? folder = parseResult.GetValue(pull) is { } given ? Path.GetFullPath(given) : null;
            if (folder is not null) await PullAsync(client, best, folder, cancellationToken);

            var output = console.Profile.Out.Writer;
            if (parseResult.GetValue(remote.Json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { Trial = best, Pulled = folder }, RemoteOptions.IndentedJson));
                return ExitCodes.Ok;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best trial: {best.Number} ({best.Config.GetRawText()}), test loss {best.TestTotal:F2}, recon {best.TestRecon:F2}, KL {best.TestKl:F2} [{best.Id}]"));
            if (folder is not null) output.WriteLine($"pulled into {folder}: {CheckpointFile}, {ConfigFile}, {MetricsFile}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task PullAsync(CoordinatorClient client, TrialSummary best, string folder, CancellationToken cancellationToken)
    {
        byte[] checkpoint = await client.DownloadCheckpointAsync(best.Id, cancellationToken);
        var detail = await client.GetTrialAsync(best.Id, cancellationToken);
        try
        {
            Directory.CreateDirectory(folder);
            // Atomic: an interrupted pull never leaves a truncated checkpoint that `sweep sample` would try to load.
            AtomicFile.Write(Path.Combine(folder, CheckpointFile), checkpoint);
            AtomicFile.Write(Path.Combine(folder, ConfigFile), JsonSerializer.SerializeToUtf8Bytes(best.Config, RemoteOptions.IndentedJson));
            AtomicFile.Write(Path.Combine(folder, MetricsFile), JsonSerializer.SerializeToUtf8Bytes(detail, RemoteOptions.IndentedJson));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CoordinatorException(ExitCodes.Failure, $"--pull: cannot write into {folder}: {ex.Message}");
        }
    }
}

using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Remote;
using SweepRunner.Cli.Reports;
using SweepRunner.Reports;
using SweepRunner.Storage.Connection;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep report ID --out DIR</c>: a sweep's HTML report (<see cref="SweepReport"/>), asked of the coordinator, or
/// with <c>--db</c> read straight from a database such as the SQLite file an embedded <c>sweep run</c> leaves.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var output = new Option<string>("--out") { Description = $"Folder to write {SweepReport.PageFileName} and its images into (created if needed)", HelpName = "DIR", Required = true };
        var database = new Option<string?>("--db")
        {
            Description = $"Read the sweep from this database instead of a coordinator: a SQLite file (sweep run's is {StorageConnection.DefaultSqliteFile}) or a connection string",
            HelpName = "CONN",
        };
        var command = new Command("report", "Write a sweep's HTML report: trials ranked by its metric, loss curves, rate–distortion plane, spread over seeds, the best trial's figures");
        command.Arguments.Add(id);
        command.Options.Add(output);
        command.Options.Add(database);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            string given = parseResult.GetValue(id)!;
            var data = parseResult.GetValue(database) is { } db
                ? await ReadStoredAsync(db, given, cancellationToken)
                : await RemoteSweepReport.ReadAsync(client, await client.ResolveSweepAsync(given, cancellationToken), cancellationToken);
            var files = Write(data, Path.GetFullPath(parseResult.GetRequiredValue(output)));
            remote.Answer(parseResult, console, new ReportFiles(files[0], files), (shown, report) =>
                // A plain line: a path wrapped at the terminal's width could not be copied.
                shown.Profile.Out.Writer.WriteLine($"report: {report.Page} ({data.Trials.Count} trials, {report.Files.Count - 1} images)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The report's page and every file written, the page first.</summary>
    private sealed record ReportFiles(string Page, IReadOnlyList<string> Files);

    private static Task<SweepReportData> ReadStoredAsync(string db, string idOrPrefix, CancellationToken cancellationToken) =>
        StoredDatabase.UseAsync(db, "sweep", idOrPrefix, async (contexts, _) =>
        {
            var stored = StoredSweepReport.Open(contexts);
            return await stored.ReadAsync(await StoredDatabase.ResolveAsync("sweep", stored.Sweeps.FindIdsAsync, idOrPrefix, db, cancellationToken), cancellationToken);
        }, cancellationToken);

    private static IReadOnlyList<string> Write(SweepReportData data, string folder)
    {
        try
        {
            return SweepReport.Write(data, folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CoordinatorException(ExitCodes.Failure, $"--out: cannot write into {folder}: {ex.Message}");
        }
    }
}

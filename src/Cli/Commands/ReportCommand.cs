using System.CommandLine;
using System.Data.Common;
using Spectre.Console;
using SweepRunner.Cli.Remote;
using SweepRunner.Cli.Reports;
using SweepRunner.Reports;
using SweepRunner.Storage;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep report ID --out DIR</c>: a sweep's HTML report (<see cref="SweepReport"/>), asked of the coordinator, or
/// with <c>--db</c> read straight from a database such as the SQLite file an embedded <c>sweep run</c> leaves.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var id = RemoteOptions.IdArgument("sweep");
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
        var remote = new RemoteOptions();
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            var sweepId = parseResult.GetValue(id)!.Value;
            var data = parseResult.GetValue(database) is { } db
                ? await ReadStoredAsync(db, sweepId, cancellationToken)
                : await RemoteSweepReport.ReadAsync(client, sweepId, cancellationToken);
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

    private static async Task<SweepReportData> ReadStoredAsync(string db, Guid sweepId, CancellationToken cancellationToken)
    {
        try
        {
            var connection = StorageConnection.Parse(db, Environment.CurrentDirectory);
            // Opening a SQLite file that is not there would create an empty one.
            if (connection.SqliteFile is { } file && !File.Exists(file)) throw new CoordinatorException(ExitCodes.NotFound, $"--db: no database file {file}");
            var contexts = new SweepDbContextFactory(connection);
            // An embedded run's file written by an older version gets the tables this one reads (the figures). A server's
            // schema is its deployment's to migrate (sweep db migrate), not a reader's.
            if (connection.Provider == StorageProvider.Sqlite) await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions(), cancellationToken);
            return await StoredSweepReport.Open(contexts).ReadAsync(sweepId, cancellationToken);
        }
        catch (StorageConfigurationException ex)
        {
            throw new CoordinatorException(ExitCodes.BadInput, $"--db: {ex.Message}");
        }
        catch (StorageUnavailableException ex)
        {
            throw new CoordinatorException(ExitCodes.Unreachable, ex.Message);
        }
        catch (RecordNotFoundException)
        {
            throw new CoordinatorException(ExitCodes.NotFound, $"no sweep {sweepId} in {db}");
        }
        catch (DbException ex)
        {
            throw new CoordinatorException(ExitCodes.Failure, $"--db: {ex.Message}");
        }
    }

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

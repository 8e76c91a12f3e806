using System.CommandLine;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Cli.Remote;
using SweepRunner.Common;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep delete ID</c>: deletes an ended sweep (completed, failed or cancelled) with its trials, epoch metrics,
/// checkpoints and figures, through the coordinator or, with <c>--db</c>, straight from a database such as the SQLite
/// file an embedded <c>sweep run</c> leaves (with the files that run wrote beside it). It asks first on a terminal;
/// <c>--yes</c> skips the question, and without a terminal it is required.
/// </summary>
internal static class DeleteCommand
{
    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var id = RemoteOptions.IdArgument();
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking (required when standard input is not a terminal)" };
        var database = new Option<string?>("--db")
        {
            Description = $"Delete from this database instead of through a coordinator: a SQLite file (sweep run's is {StorageConnection.DefaultSqliteFile}, whose sweeps/ID folder goes too) or a connection string",
            HelpName = "CONN",
        };
        var command = new Command("delete", "Delete an ended sweep (completed, failed or cancelled) with its trials, epoch metrics, checkpoints and figures");
        command.Arguments.Add(id);
        command.Options.Add(yes);
        command.Options.Add(database);
        var remote = new RemoteOptions(connection);
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            string given = parseResult.GetValue(id)!;
            var error = parseResult.InvocationConfiguration.Error;
            Func<DeletedSweep, Task<bool>> confirm = target => ConfirmAsync(target, parseResult.GetValue(yes), error, cancellationToken);
            var deleted = parseResult.GetValue(database) is { } db
                ? await DeleteStoredAsync(db, given, confirm, cancellationToken)
                : await DeleteRemoteAsync(client, given, confirm, cancellationToken);
            if (deleted is null)
            {
                await error.WriteLineAsync("not deleted");
                return ExitCodes.Failure;
            }
            remote.Answer(parseResult, console, deleted, (output, d) => output.Profile.Out.Writer.WriteLine($"deleted sweep {d.Name} ({d.Id}): {Describe(d)}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The deleted sweep; null when the question was answered no.</summary>
    private static async Task<DeletedSweep?> DeleteRemoteAsync(CoordinatorClient client, string given, Func<DeletedSweep, Task<bool>> confirm, CancellationToken cancellationToken)
    {
        var sweepId = await client.ResolveSweepAsync(given, cancellationToken);
        var detail = await client.GetSweepAsync(sweepId, cancellationToken);
        if (!detail.Progress.Finished) throw Open(sweepId, detail.Sweep.Status);
        var target = new DeletedSweep(sweepId, detail.Sweep.Name, detail.Sweep.Trials, detail.CheckpointBytes);
        if (!await confirm(target)) return null;
        await client.DeleteSweepAsync(sweepId, cancellationToken);
        return target;
    }

    private static Task<DeletedSweep?> DeleteStoredAsync(string db, string given, Func<DeletedSweep, Task<bool>> confirm, CancellationToken cancellationToken) =>
        StoredDatabase.UseAsync(db, "sweep", given, async (contexts, connection) =>
        {
            var sweeps = new SweepStore(contexts, TimeProvider.System);
            var sweepId = await StoredDatabase.ResolveAsync("sweep", sweeps.FindIdsAsync, given, db, cancellationToken);
            var report = await sweeps.GetStatusAsync(sweepId, cancellationToken) ?? throw new RecordNotFoundException("sweep", sweepId);
            if (report.Sweep.Status is SweepStatus.Pending or SweepStatus.Running) throw Open(sweepId, report.Sweep.Status.LowerName());
            long bytes = await new CheckpointStore(contexts, TimeProvider.System).SweepBytesAsync(sweepId, cancellationToken);
            if (!await confirm(new DeletedSweep(sweepId, report.Sweep.Name, report.Sweep.TrialCount, bytes))) return null;

            DeletedSweep deleted;
            try
            {
                deleted = await sweeps.DeleteAsync(sweepId, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                // It was resumed meanwhile.
                throw new CoordinatorException(ExitCodes.BadInput, ex.Message);
            }
            // The files sweep run wrote for the sweep beside its SQLite file: the best trial's checkpoint and the report.
            if (connection.SqliteFile is { } file && RunCommand.SweepFolder(file, sweepId) is var folder && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            return deleted;
        }, cancellationToken);

    /// <summary>
    /// Whether to go on: with <c>--yes</c>, or when the question is answered y on a terminal. Without <c>--yes</c> and
    /// without a terminal to ask on (a script, a pipe) it refuses (exit 2): deleting must be asked for.
    /// </summary>
    private static async Task<bool> ConfirmAsync(DeletedSweep target, bool yes, TextWriter prompt, CancellationToken cancellationToken)
    {
        if (yes) return true;
        if (Console.IsInputRedirected)
            throw new CoordinatorException(ExitCodes.BadInput, $"sweep {target.Name} ({target.Id}) not deleted: standard input is not a terminal to confirm on; add --yes to delete without asking");
        await prompt.WriteAsync($"delete sweep {target.Name} ({target.Id}): {Describe(target)}? [y/N] ");
        await prompt.FlushAsync(cancellationToken);
        // A console read does not observe a token: waited for apart, so that Ctrl-C still ends the command.
        string? answer = await Task.Run(Console.In.ReadLine, cancellationToken).WaitAsync(cancellationToken);
        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }

    private static string Describe(DeletedSweep sweep) => $"{sweep.Trials} trials, {ByteSize.Format(sweep.CheckpointBytes)} of checkpoints";

    private static CoordinatorException Open(Guid sweepId, string status) =>
        new(ExitCodes.BadInput, $"sweep {sweepId} is {status}; cancel it first (sweep cancel {sweepId})");
}

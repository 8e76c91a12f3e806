using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweepRunner.Cli.Remote;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep logs TRIAL</c>: a trial's log, every attempt's lines in order (start, epochs, warnings, the full error of a
/// failure, and what the coordinator did: a lost lease, a timeout, a retry), asked of the coordinator or, with
/// <c>--db</c>, read from a database such as an embedded <c>sweep run</c>'s.
/// </summary>
internal static class LogsCommand
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromSeconds(1);

    public static Command Create(IAnsiConsole console, ConnectionOptions connection)
    {
        var trial = RemoteOptions.TrialIdArgument();
        var attempt = OptionParsing.OptionalInteger("--attempt", "Only the lines of this attempt [default: every attempt]", "N", 1, int.MaxValue, OptionParsing.AtLeastOne);
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the trial ends (not with --db or --json)" };
        var database = new Option<string?>("--db")
        {
            Description = $"Read the log from this database instead of a coordinator: a SQLite file (sweep run's is {StorageConnection.DefaultSqliteFile}) or a connection string",
            HelpName = "CONN",
        };
        var command = new Command("logs", "Print a trial's log: each attempt's start, epochs, warnings and full errors, and the coordinator's lines (lost lease, timeout, retry)");
        command.Arguments.Add(trial);
        command.Options.Add(attempt);
        command.Options.Add(follow);
        command.Options.Add(database);
        var remote = new RemoteOptions(connection);
        command.Validators.Add(result =>
        {
            if (result.GetValue(follow) && (result.GetValue(database) is not null || result.GetValue(remote.Json)))
                result.AddError("--follow: follows a coordinator's trial as text; leave out --db and --json");
        });
        remote.Attach(command, async (parseResult, client, cancellationToken) =>
        {
            string given = parseResult.GetValue(trial)!;
            int? only = parseResult.GetValue(attempt);
            var output = console.Profile.Out.Writer;
            if (parseResult.GetValue(database) is { } db)
            {
                var stored = await ReadStoredAsync(db, given, only, cancellationToken);
                remote.Answer(parseResult, console, stored, (_, lines) => Print(output, lines));
                return ExitCodes.Ok;
            }

            var trialId = await client.ResolveTrialAsync(given, cancellationToken);
            var lines = await client.GetLogsAsync(trialId, only, null, cancellationToken);
            remote.Answer(parseResult, console, lines, (_, shown) => Print(output, shown));
            if (parseResult.GetValue(follow)) await FollowAsync(client, trialId, only, lines.Count > 0 ? lines[^1].Sequence : 0, output, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints the lines stored after <paramref name="after"/> as they come, until the trial has ended and its last lines are out.</summary>
    private static async Task FollowAsync(CoordinatorClient client, Guid trialId, int? attempt, long after, TextWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The status first: lines stored before the trial ended are all there when it is seen ended.
            bool ended = (await client.GetTrialAsync(trialId, cancellationToken)).Trial.Status is not ("pending" or "running");
            var lines = await client.GetLogsAsync(trialId, attempt, after, cancellationToken);
            Print(output, lines);
            if (lines.Count > 0) after = lines[^1].Sequence;
            if (ended) return;
            await Task.Delay(FollowPoll, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<TrialLogLineDocument>> ReadStoredAsync(string db, string idOrPrefix, int? attempt, CancellationToken cancellationToken) =>
        await StoredDatabase.UseAsync(db, "trial", idOrPrefix, async (contexts, _) =>
        {
            var trials = new TrialStore(contexts, TimeProvider.System);
            var trialId = await StoredDatabase.ResolveAsync("trial", trials.FindIdsAsync, idOrPrefix, db, cancellationToken);
            if (await trials.GetAsync(trialId, cancellationToken) is null) throw new CoordinatorException(ExitCodes.NotFound, $"no trial {idOrPrefix} in {db}");
            var lines = await new TrialLogStore(contexts, TimeProvider.System).ListAsync(trialId, attempt, cancellationToken: cancellationToken);
            return (IReadOnlyList<TrialLogLineDocument>)[.. lines.Select(TrialLogLineDocument.From)];
        }, cancellationToken);

    /// <summary>Each line as <c>TIME [attempt N] LEVEL source: message</c>, a multi-line message (a stack trace) as stored.</summary>
    private static void Print(TextWriter output, IEnumerable<TrialLogLineDocument> lines)
    {
        foreach (var line in lines)
            output.WriteLine($"{line.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} [attempt {line.Attempt}] {line.Level} {line.Source}: {line.Message}");
    }
}

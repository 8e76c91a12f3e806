using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepRunner.Common;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// <c>sweep resume</c>, <c>sweep delete</c> and a sweep file's <c>trial_timeout</c>, end to end: a real <c>sweep run</c>
/// process trains, and the commands run against its API or its SQLite file, with standard input a pipe as in a script.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed partial class SweepLifecycleCommandTests
{
    private static readonly TimeSpan Start = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_cancelled_sweep_resumes_to_completion_and_is_deleted_only_with_yes()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("resumed.yaml");
        await File.WriteAllTextAsync(spec, "name: resumed\nmethod: grid\nparameters:\n  beta: {values: [1]}\nepochs: 4\ntrain_limit: 500\n");
        using var run = SweepProcess.Start(new Dictionary<string, string>(), "run", spec, "--db", temp.File("store.db"), "--urls", "http://127.0.0.1:0", "--serve");
        try
        {
            await run.WaitForOutputAsync("trial 1 epoch 1/4", Start);
            string api = ApiLine().Match(run.Output).Groups[1].Value;
            string shortId = ShortIdLine().Match(run.Output).Groups[1].Value;

            var resumeRunning = await Sweep.RunAsync("resume", shortId, "--coordinator", api);
            var deleteRunning = await Sweep.RunAsync("delete", shortId, "--yes", "--coordinator", api);
            var cancel = await Sweep.RunAsync("cancel", shortId, "--coordinator", api);
            await run.WaitForOutputAsync("serving ", TimeSpan.FromMinutes(1));
            var resume = await Sweep.RunAsync("resume", shortId, "--coordinator", api);
            var watch = await Sweep.RunAsync("watch", shortId, "--coordinator", api, "--json");
            var unconfirmed = await DeleteThroughPipeAsync(shortId, "--coordinator", api);
            var stillThere = await Sweep.RunAsync("status", shortId, "--coordinator", api, "--json");
            var deleted = await DeleteThroughPipeAsync(shortId, "--yes", "--coordinator", api);
            var gone = await Sweep.RunAsync("status", shortId, "--coordinator", api);
            var unknown = Guid.NewGuid().ToString();
            var resumeUnknown = await Sweep.RunAsync("resume", unknown, "--coordinator", api);
            var deleteUnknown = await Sweep.RunAsync("delete", unknown, "--yes", "--coordinator", api);

            Assert.Equal(ExitCodes.BadInput, resumeRunning.ExitCode);
            Assert.EndsWith("is running: nothing to resume", resumeRunning.Error.Trim(), StringComparison.Ordinal);
            Assert.Equal(ExitCodes.BadInput, deleteRunning.ExitCode);
            Assert.Contains("is running; cancel it first", deleteRunning.Error, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
            Assert.True(resume.ExitCode == ExitCodes.Ok, resume.Error);
            Assert.Matches(@"^sweep [0-9a-f-]{36} \(resumed\): running, 1 of 1 trials pending or running", resume.Output);
            Assert.True(watch.ExitCode == ExitCodes.Ok, watch.Error + watch.Output);
            var finished = JsonNode.Parse(watch.Output)!;
            Assert.Equal(("completed", 1), ((string?)finished["sweep"]!["status"], (int)finished["trials_by_status"]!["completed"]!));
            Assert.Equal(ExitCodes.BadInput, unconfirmed.ExitCode);
            Assert.Contains(") not deleted: standard input is not a terminal to confirm on; add --yes to delete without asking", unconfirmed.Output, StringComparison.Ordinal);
            Assert.Equal(1, (int)JsonNode.Parse(stillThere.Output)!["sweep"]!["trials"]!);
            Assert.True(deleted.ExitCode == ExitCodes.Ok, deleted.Output);
            Assert.Matches(@"deleted sweep resumed \([0-9a-f-]{36}\): 1 trials, \d+\.\d [kMG]B of checkpoints", deleted.Output);
            Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
            Assert.Equal((ExitCodes.NotFound, $"error: 404 Not Found: no sweep {unknown}"), (resumeUnknown.ExitCode, resumeUnknown.Error.Trim()));
            Assert.Equal((ExitCodes.NotFound, $"error: 404 Not Found: no sweep {unknown}"), (deleteUnknown.ExitCode, deleteUnknown.Error.Trim()));
        }
        finally
        {
            await run.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_trial_past_its_trial_timeout_fails_as_timeout_its_slot_moves_on_and_the_sweep_finishes()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("timeout.yaml");
        // Far more epochs than 3 s allow: only the limit ends these trials.
        await File.WriteAllTextAsync(spec, "name: timeout\nmethod: grid\nparameters:\n  beta: {values: [1, 4]}\nepochs: 1000\ntrain_limit: 1000\ntrial_timeout: 3s\n");
        // No grace after start: the first expiry pass may end a lease at once (the grace is for restarted coordinators).
        using var run = SweepProcess.Start(new Dictionary<string, string> { ["Coordinator__LeaseGrace"] = "00:00:00" }, "run", spec, "--db", temp.File("store.db"), "--urls", "http://127.0.0.1:0");
        try
        {
            await run.WaitForOutputAsync("trial 1 failed (timeout): timed out: the attempt ran longer than 3s (the sweep's trial_timeout)", Start);
            long failed = Stopwatch.GetTimestamp();
            // The slot finds its lease lost at its next heartbeat (a third of the 10 s lease), drops the trial and leases the next one.
            await run.WaitForOutputAsync("trial 2 started", TimeSpan.FromSeconds(30));
            var movedOn = Stopwatch.GetElapsedTime(failed);
            int exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(ExitCodes.Failure, exitCode);
            Assert.Contains("trial 2 failed (timeout): timed out: the attempt ran longer than 3s (the sweep's trial_timeout)", run.Output, StringComparison.Ordinal);
            Assert.Contains("(timeout): completed, 2/2 trials ended", run.Output, StringComparison.Ordinal);
            Assert.True(movedOn < TimeSpan.FromSeconds(30), $"the slot took {movedOn} to move on");
        }
        finally
        {
            if (!run.HasExited) await run.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Delete_from_a_database_file_asks_for_yes_through_a_pipe_and_removes_the_runs_files()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");
        var sweepId = await StoreCancelledSweepAsync(db);
        string folder = Path.Combine(temp.Path, "sweeps", sweepId.ToString());
        Directory.CreateDirectory(Path.Combine(folder, "report"));
        await File.WriteAllTextAsync(Path.Combine(folder, "report", "index.html"), "<html></html>");
        string shortId = sweepId.ToString()[..8];

        var unconfirmed = await DeleteThroughPipeAsync(shortId, "--db", db);
        bool keptFolder = Directory.Exists(folder);
        var keptRows = await CountAsync(db);
        var deleted = await DeleteThroughPipeAsync(shortId, "--db", db, "--yes");
        var again = await DeleteThroughPipeAsync(shortId, "--db", db, "--yes");
        var noFile = await DeleteThroughPipeAsync(shortId, "--db", temp.File("missing.db"), "--yes");

        Assert.Equal(ExitCodes.BadInput, unconfirmed.ExitCode);
        Assert.Equal($"error: sweep stored ({sweepId}) not deleted: standard input is not a terminal to confirm on; add --yes to delete without asking", unconfirmed.Output);
        Assert.Equal((true, (1, 3)), (keptFolder, keptRows));
        Assert.True(deleted.ExitCode == ExitCodes.Ok, deleted.Output);
        Assert.Equal($"deleted sweep stored ({sweepId}): 3 trials, 0 B of checkpoints", deleted.Output);
        Assert.False(Directory.Exists(folder));
        Assert.Equal((0, 0), await CountAsync(db));
        Assert.Equal((ExitCodes.NotFound, $"error: no sweep id starts with {shortId} in {db}"), (again.ExitCode, again.Output));
        Assert.Equal((ExitCodes.NotFound, $"error: --db: no database file {temp.File("missing.db")}"), (noFile.ExitCode, noFile.Output));
        Assert.False(File.Exists(temp.File("missing.db")));
    }

    [Fact]
    public async Task On_a_terminal_delete_asks_and_deletes_only_on_yes()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");
        var kept = await StoreCancelledSweepAsync(db);
        var deleted = await StoreCancelledSweepAsync(db);

        var no = await DeleteOnTerminalAsync(kept, db, "n\n");
        var yes = await DeleteOnTerminalAsync(deleted, db, "y\n");

        string question = $"delete sweep stored ({kept}): 3 trials, 0 B of checkpoints? [y/N]";
        Assert.Equal(ExitCodes.Failure, no.ExitCode);
        Assert.Contains(question, no.Output, StringComparison.Ordinal);
        Assert.Contains("not deleted", no.Output, StringComparison.Ordinal);
        Assert.True(yes.ExitCode == ExitCodes.Ok, yes.Output);
        Assert.Contains($"delete sweep stored ({deleted}): 3 trials, 0 B of checkpoints? [y/N]", yes.Output, StringComparison.Ordinal);
        Assert.Contains($"deleted sweep stored ({deleted}): 3 trials, 0 B of checkpoints", yes.Output, StringComparison.Ordinal);
        Assert.Equal((1, 3), await CountAsync(db));
    }

    /// <summary>
    /// <c>sweep delete ID --db DB</c> with a terminal for standard input (a pseudo-terminal that <c>script</c> makes), on
    /// which <paramref name="answer"/> is typed.
    /// </summary>
    private static Task<ChildProcessResult> DeleteOnTerminalAsync(Guid sweepId, string db, string answer) =>
        ChildProcess.ExecuteAsync("script", ["-qec", $"dotnet {Path.Combine(AppContext.BaseDirectory, "sweep.dll")} delete {sweepId} --db {db}", "/dev/null"], input: answer);

    /// <summary><c>sweep delete ARGS</c> in a process of its own whose standard input is a pipe with "y" in it, as a script would give it.</summary>
    private static Task<ChildProcessResult> DeleteThroughPipeAsync(params string[] args) =>
        ChildProcess.ExecuteAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "sweep.dll"), "delete", .. args], input: "y\n");

    /// <summary>A cancelled sweep of three trials in a new SQLite file, as a cancelled <c>sweep run</c> leaves it.</summary>
    private static async Task<Guid> StoreCancelledSweepAsync(string db)
    {
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, Path.GetDirectoryName(db)!));
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        var sweeps = new SweepStore(contexts, TimeProvider.System);
        var sweep = await sweeps.CreateAsync(
            new NewSweep("stored", "method: grid\n", "grid", "test.total", MetricGoal.Minimize, """{"format":1,"method":"grid","parameters":[]}"""),
            Enumerable.Range(1, 3).Select(i => new NewTrial($$"""{"beta":{{i}}}""", i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture))));
        await sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return sweep.Id;
    }

    private static async Task<(int Sweeps, int Trials)> CountAsync(string db)
    {
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, Path.GetDirectoryName(db)!));
        await using var context = contexts.CreateDbContext();
        var counts = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(context.Sweeps),
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(context.Trials));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return counts;
    }

    [GeneratedRegex(@"API: (\S+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"sweep ([0-9a-f]{8}) \(resumed\)")]
    private static partial Regex ShortIdLine();
}

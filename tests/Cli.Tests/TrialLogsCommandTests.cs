using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// A real embedded <c>sweep run</c> whose trial 1 diverges in its first batches (learning rate 10⁶) and trial 2 completes; its log is read
/// from the database, then through a coordinator serving it, which retries the failed trial.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class TrialLogsCommandTests : IDisposable
{
    private const string Spec = "name: logs-test\nmethod: grid\nepochs: 1\ntrain_limit: 2000\nparameters:\n  model:\n    value: mlp\n  lr:\n    values: [1000000, 0.001]\n";

    private readonly TempDirectory temp = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    [Fact]
    public async Task A_failed_trials_log_shows_its_full_error_and_a_retry_queues_it_again_keeping_both_attempts()
    {
        string spec = temp.File("sweep.yaml"), db = temp.File("store.db");
        await File.WriteAllTextAsync(spec, Spec);
        var run = await Sweep.RunAsync("run", spec, "--db", db, "--json");
        Assert.True(run.ExitCode == ExitCodes.Failure, run.Error + run.Output);
        var sweepId = Guid.Parse((string)JsonNode.Parse(run.Output)!["sweep_id"]!);

        var coordinator = InProcessCoordinator.Over(db);
        await coordinator.InitializeAsync();
        try
        {
            var trials = await coordinator.Service<TrialStore>().ListAllAsync(sweepId);
            var diverged = trials.Single(t => t.Number == 1);
            var completed = trials.Single(t => t.Number == 2);
            Assert.Equal((TrialStatus.Failed, TrialStatus.Completed), (diverged.Status, completed.Status));
            string shortId = diverged.Id.ToString()[..8];

            // From the database, by short id: the worker's lines, the whole exception with its stack trace, the coordinator's verdict.
            var fromDb = await Sweep.RunAsync("logs", shortId, "--db", db);
            Assert.True(fromDb.ExitCode == ExitCodes.Ok, fromDb.Error + fromDb.Output);
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[attempt 1\] info [^ ]+/slot-\d: attempt 1 started on [^ ]+/slot-\d \(from scratch\)", fromDb.Output);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(fromDb.Output, @"\[attempt 1\] error [^ ]+/slot-\d: SweepRunner\.Models\.Training\.TrainingDivergedException: diverged: loss is [^\n]+\n\s+at SweepRunner\."), fromDb.Output);
            Assert.Contains("[attempt 1] error coordinator: attempt 1 failed (diverged, 1 of 3 failures in training): the trial failed", fromDb.Output, StringComparison.Ordinal);
            var completedLog = await Sweep.RunAsync("logs", completed.Id.ToString(), "--db", db);
            Assert.Matches(@"\[attempt 1\] info [^ ]+: epoch 1/1: train loss [\d.]+ \(recon [\d.]+, kl [\d.]+\), test loss", completedLog.Output);
            Assert.Matches(@"completed: test loss [\d.]+", completedLog.Output);

            // Following an ended trial prints its lines once and returns.
            var followed = await Sweep.RunAsync("--coordinator", coordinator.Url, "logs", completed.Id.ToString(), "--follow");
            Assert.True(followed.ExitCode == ExitCodes.Ok, followed.Error + followed.Output);
            Assert.Equal(completedLog.Output, followed.Output);

            var retry = await Sweep.RunAsync("--coordinator", coordinator.Url, "retry", sweepId.ToString()[..8]);
            Assert.True(retry.ExitCode == ExitCodes.Ok, retry.Error + retry.Output);
            Assert.Contains($"sweep {sweepId} (logs-test): running", retry.Output, StringComparison.Ordinal);
            Assert.Contains("trial 1 queued again: attempt 2", retry.Output, StringComparison.Ordinal);

            var remote = await Sweep.RunAsync("--coordinator", coordinator.Url, "logs", shortId, "--json");
            Assert.True(remote.ExitCode == ExitCodes.Ok, remote.Error + remote.Output);
            var lines = JsonNode.Parse(remote.Output)!.AsArray();
            Assert.Equal([1, 2], lines.Select(l => (int)l!["attempt"]!).Distinct());
            Assert.Equal("retried by the user (the trial was failed): attempt 2, which resumes from the last checkpoint", (string?)lines[^1]!["message"]);
            var attempt2 = await Sweep.RunAsync("--coordinator", coordinator.Url, "logs", shortId, "--attempt", "2");
            Assert.Contains("[attempt 2] info coordinator: retried by the user", Assert.Single(attempt2.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            var stored = (await coordinator.Service<TrialStore>().GetAsync(diverged.Id))!;
            Assert.Equal((TrialStatus.Pending, 2, 0), (stored.Status, stored.Attempt, stored.ModelFailures));
        }
        finally
        {
            await coordinator.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_retries_and_log_requests_exit_with_their_message_and_change_nothing()
    {
        string spec = temp.File("sweep.yaml"), db = temp.File("store.db");
        await File.WriteAllTextAsync(spec, Spec.Replace("1000000", "0.002", StringComparison.Ordinal));
        var run = await Sweep.RunAsync("run", spec, "--db", db, "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error + run.Output);
        var sweepId = Guid.Parse((string)JsonNode.Parse(run.Output)!["sweep_id"]!).ToString();

        var coordinator = InProcessCoordinator.Over(db);
        await coordinator.InitializeAsync();
        try
        {
            string before = await StoredStateAsync(coordinator, sweepId);
            (string[] Args, int Exit, string Message)[] cases =
            [
                (["retry", sweepId], ExitCodes.BadInput, $"error: 409 Conflict: sweep {sweepId} has no failed trial to retry"),
                (["retry", sweepId, "--trial", "1"], ExitCodes.BadInput, $"error: 409 Conflict: trial 1 of sweep {sweepId} is completed: only failed, cancelled or stopped trials can be retried"),
                (["retry", sweepId, "--trial", "9"], ExitCodes.NotFound, $"error: 404 Not Found: sweep {sweepId} has no trial 9"),
                (["retry", sweepId, "--trial", "0"], ExitCodes.BadInput, "--trial: 0 is not valid; expected a trial number (an integer >= 1)"),
                (["retry", sweepId, "--failed", "--trial", "1"], ExitCodes.BadInput, "--failed and --trial: give one of them"),
                (["retry", Guid.Empty.ToString()], ExitCodes.NotFound, $"error: 404 Not Found: no sweep {Guid.Empty}"),
                (["logs", Guid.Empty.ToString()], ExitCodes.NotFound, $"error: 404 Not Found: no trial {Guid.Empty}"),
                (["logs", "zz"], ExitCodes.BadInput, "TRIAL: zz is not a trial id or its start"),
                (["logs", Guid.Empty.ToString(), "--db", db], ExitCodes.NotFound, $"error: no trial {Guid.Empty} in {db}"),
                (["logs", Guid.Empty.ToString(), "--follow", "--json"], ExitCodes.BadInput, "--follow: follows a coordinator's trial as text; leave out --db and --json"),
            ];
            foreach (var (args, exit, message) in cases)
            {
                var result = await Sweep.RunAsync(["--coordinator", coordinator.Url, .. args]);
                Assert.True(result.ExitCode == exit, $"{string.Join(' ', args)}: exit {result.ExitCode}, {result.Error}");
                Assert.Contains(message, result.Error, StringComparison.Ordinal);
            }
            Assert.Equal(before, await StoredStateAsync(coordinator, sweepId));
        }
        finally
        {
            await coordinator.DisposeAsync();
        }
    }

    /// <summary>The sweep's status and version, its trials' statuses, attempts and versions, and their log lines: what a refused command leaves as it was.</summary>
    private static async Task<string> StoredStateAsync(InProcessCoordinator coordinator, string sweepId)
    {
        var id = Guid.Parse(sweepId);
        var sweep = (await coordinator.Service<SweepStore>().GetAsync(id))!;
        var trials = await coordinator.Service<TrialStore>().ListAllAsync(id);
        var lines = new List<string>();
        foreach (var trial in trials) lines.AddRange((await coordinator.Service<TrialLogStore>().ListAsync(trial.Id)).Select(l => $"{l.Sequence}"));
        return $"{sweep.Status}:{sweep.Version} {string.Join(',', trials.Select(t => $"{t.Number}:{t.Status}:{t.Attempt}:{t.Version}"))} {string.Join(',', lines)}";
    }
}

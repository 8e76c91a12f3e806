using SweepRunner.Cli.Output;
using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Storage.Records;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// What <c>sweep run</c> and <c>sweep watch</c> print when their output is not a terminal: one line per trial event,
/// appended snapshot after snapshot, epochs that passed between two snapshots included.
/// </summary>
public sealed class TrialEventLinesTests
{
    private static readonly Guid SweepId = Guid.Parse("3f9c2a7e-1c2d-4e4f-8a9b-0c1d2e3f4a5b");

    [Fact]
    public async Task Each_start_epoch_and_end_is_one_line_written_once()
    {
        var (first, second) = (Trial(1), Trial(2));
        var feed = new Feed();
        using var output = new StringWriter();
        var lines = new TrialEventLines(output);

        await lines.WriteAsync(Progress(SweepStatus.Running), feed, CancellationToken.None);
        Start(first);
        await lines.WriteAsync(Progress(SweepStatus.Running, first, second), feed, CancellationToken.None);
        // Three epochs pass and the sweep is cancelled between two snapshots; the second trial never started.
        (first.Status, first.CurrentEpoch, first.TestTotal, second.Status) = (TrialStatus.Completed, 3, 9.5, TrialStatus.Cancelled);
        var last = Progress(SweepStatus.Cancelled, first, second);
        await lines.WriteAsync(last, feed, CancellationToken.None);
        await lines.WriteAsync(last, feed, CancellationToken.None);

        string config = SweepProgress.DescribeConfig(first);
        Assert.Equal(
            [
                "sweep 3f9c2a7e (betas): 0 trials, running",
                $"trial 1 started: {config} (worker local/slot-1)",
                "trial 1 epoch 1/3: train 3.00 (recon 2.00, KL 1.00), test 4.00 (recon 3.00, KL 1.00)",
                "trial 1 epoch 2/3: train 6.00 (recon 4.00, KL 2.00), test 8.00 (recon 6.00, KL 2.00)",
                "trial 1 epoch 3/3: train 9.00 (recon 6.00, KL 3.00), test 12.00 (recon 9.00, KL 3.00)",
                "trial 1 completed: test loss 9.50",
                "trial 2 cancelled",
                "sweep 3f9c2a7e (betas): cancelled, 2/2 trials ended",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_trial_that_starts_again_after_its_lease_expired_is_said_to_and_its_epochs_go_on()
    {
        var trial = Trial(1);
        var feed = new Feed();
        using var output = new StringWriter();
        var lines = new TrialEventLines(output);
        Start(trial);
        trial.CurrentEpoch = 1;
        await lines.WriteAsync(Progress(SweepStatus.Running, trial), feed, CancellationToken.None);

        (trial.Attempt, trial.CurrentEpoch) = (2, 2);
        await lines.WriteAsync(Progress(SweepStatus.Running, trial), feed, CancellationToken.None);

        var written = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["trial 1 started", "trial 1 epoch 1/3", "trial 1 started", "trial 1 epoch 2/3"], written[1..].Select(line => line.Split(':')[0]));
        Assert.EndsWith("(worker local/slot-1, attempt 2)", written[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_trial_says_its_failure_class_and_reason_and_the_json_has_both()
    {
        var (diverged, lost) = (Trial(1), Trial(2));
        Start(diverged);
        Start(lost);
        (diverged.Status, diverged.FailureClass, diverged.FailureReason) = (TrialStatus.Failed, FailureClass.Diverged, "diverged: loss is NaN at epoch 1, batch 3");
        (lost.Status, lost.FailureClass, lost.FailureReason) = (TrialStatus.Failed, FailureClass.Infrastructure, "worker lost or unreachable: its lease expired on 10 of 10 infrastructure attempts");
        using var output = new StringWriter();
        var progress = Progress(SweepStatus.Completed, diverged, lost);

        await new TrialEventLines(output).WriteAsync(progress, new Feed(), CancellationToken.None);

        var written = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("trial 1 failed (diverged): diverged: loss is NaN at epoch 1, batch 3", written);
        Assert.Contains("trial 2 failed (infrastructure): worker lost or unreachable: its lease expired on 10 of 10 infrastructure attempts", written);
        var json = progress.ToJson(best: null, bestCheckpoint: null, report: null, api: null)["trials"]!.AsArray()[0]!;
        Assert.Equal(("failed", "diverged", "diverged: loss is NaN at epoch 1, batch 3"), ((string?)json["status"], (string?)json["failure_class"], (string?)json["failure_reason"]));
        var running = Trial(3);
        Start(running);
        Assert.Equal(("failed (diverged)", "running"), (SweepProgress.DescribeStatus(diverged), SweepProgress.DescribeStatus(running)));
    }

    private static void Start(TrialRecord trial) => (trial.Status, trial.StartedAt, trial.Worker) = (TrialStatus.Running, DateTime.UtcNow, "local/slot-1");

    private static TrialRecord Trial(int number) => new()
    {
        Id = Guid.NewGuid(),
        SweepId = SweepId,
        Number = number,
        ConfigJson = $$"""{"beta":{{number}}.0,"epochs":3}""",
        ConfigHash = $"hash{number}",
        Status = TrialStatus.Pending,
        Attempt = 1,
    };

    private static SweepProgress Progress(SweepStatus status, params TrialRecord[] trials) => new(
        new SweepRecord { Id = SweepId, Name = "betas", SpecYaml = "", Method = "grid", MetricName = "test.total", Status = status },
        [.. trials.Select(trial => new TrialRow(trial, trial.TestTotal))]);

    /// <summary>Every trial's epoch e has losses e·(2, 1) on train and e·(3, 1) on test.</summary>
    private sealed class Feed : ISweepFeed
    {
        public Task<SweepProgress> ReadAsync(CancellationToken cancellationToken) => throw new NotSupportedException("the lines are given their snapshots");

        public Task WaitForChangeAsync(TimeSpan interval, CancellationToken cancellationToken) => throw new NotSupportedException("the lines are given their snapshots");

        public Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EpochReport>>([.. Enumerable.Range(1, 3).Select(e => new EpochReport(e, new SplitLosses(3 * e, 2 * e, e), new SplitLosses(4 * e, 3 * e, e), 1, 1))]);
    }
}

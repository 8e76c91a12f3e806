using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Records;

namespace SweepRunner.Cli.Output;

/// <summary>
/// A followed sweep as one line per event, for output that is not a terminal: the sweep's start, each trial's start,
/// each epoch it finishes with its losses, its end with its status, and the sweep's end. Each snapshot passed to
/// <see cref="WriteAsync"/> adds the lines of what changed since the one before, epochs that passed between two
/// snapshots included, so the lines only ever grow (<c>tail -f</c>, <c>grep</c>).
/// </summary>
internal sealed class TrialEventLines(TextWriter output)
{
    private readonly Dictionary<Guid, Shown> trials = [];
    private bool sweepStarted;
    private bool sweepEnded;

    public async Task WriteAsync(SweepProgress progress, ISweepFeed feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(feed);
        var sweep = progress.Sweep;
        string name = $"sweep {IdPrefix.ShortId(sweep.Id)} ({sweep.Name})";
        if (!sweepStarted)
        {
            Write($"{name}: {progress.Trials.Count} trials, {sweep.Status.LowerName()}");
            sweepStarted = true;
        }

        foreach (var row in progress.Trials)
        {
            var trial = row.Record;
            var shown = trials.TryGetValue(trial.Id, out var known) ? known : trials[trial.Id] = new Shown();
            if ((trial.Status == TrialStatus.Running || trial.StartedAt is not null) && shown.StartedAttempt != trial.Attempt)
            {
                string attempt = trial.Attempt > 1 ? $", attempt {trial.Attempt}" : "";
                Write($"trial {trial.Number} started: {SweepProgress.DescribeConfig(trial)} (worker {trial.Worker ?? "?"}{attempt})");
                shown.StartedAttempt = trial.Attempt;
            }

            if (trial.CurrentEpoch > shown.Epochs)
            {
                foreach (var epoch in (await feed.EpochsAsync(trial.Id, cancellationToken)).Where(e => e.Epoch > shown.Epochs && e.Epoch <= trial.CurrentEpoch))
                {
                    Write($"trial {trial.Number} epoch {epoch.Epoch}/{SweepProgress.EpochsOf(trial)}: train {Losses(epoch.Train)}, test {Losses(epoch.Test)}");
                    shown.Epochs = epoch.Epoch;
                }
            }

            if (trial.Status is not (TrialStatus.Pending or TrialStatus.Running) && !shown.Ended)
            {
                Write($"trial {trial.Number} {Ending(trial)}");
                shown.Ended = true;
            }
        }

        if (progress.Finished && !sweepEnded)
        {
            Write($"{name}: {sweep.Status.LowerName()}, {progress.Ended}/{progress.Trials.Count} trials ended");
            sweepEnded = true;
        }
    }

    private static string Losses(SplitLosses losses) =>
        string.Create(CultureInfo.InvariantCulture, $"{losses.Total:F2} (recon {losses.Recon:F2}, KL {losses.Kl:F2})");

    private static string Ending(TrialRecord trial) => trial.Status switch
    {
        TrialStatus.Completed => string.Create(CultureInfo.InvariantCulture, $"completed: test loss {trial.TestTotal:F2}"),
        TrialStatus.Stopped => $"stopped early after epoch {trial.CurrentEpoch}",
        TrialStatus.Failed => $"{SweepProgress.DescribeStatus(trial)}: {trial.FailureReason}",
        var other => other.LowerName(),
    };

    private void Write(string line) => output.WriteLine(line);

    /// <summary>What has been written of one trial.</summary>
    private sealed class Shown
    {
        public int StartedAttempt { get; set; }

        public int Epochs { get; set; }

        public bool Ended { get; set; }
    }
}

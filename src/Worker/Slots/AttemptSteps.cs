using Microsoft.Extensions.Logging;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Worker.Telemetry;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Slots;

/// <summary>What a step of an attempt leads to: the trial trains on, or it ends with <paramref name="Result"/> (null: dropped, nothing to report).</summary>
internal readonly record struct StepOutcome(bool TrainsOn, TrialResult? Result)
{
    public static readonly StepOutcome Continue = new(true, null);

    public static StepOutcome End(TrialResult? result) => new(false, result);
}

/// <summary>
/// What a slot does for each trial it trains, alone or packed: start an attempt under the trial's lease, store and
/// report each epoch and act on the sweep's verdict, complete the trial with its analysis and figures, and end it with
/// the class of whatever went wrong. Each trial's writes and calls go under its own lease, so that a packed trial
/// leaves its group exactly as a trial trained alone leaves its slot.
/// </summary>
internal sealed partial class AttemptSteps(
    string slot,
    int index,
    IGrainFactory grains,
    ITrialSchedulerGrain scheduler,
    EpochMetricStore epochMetrics,
    CheckpointStore checkpoints,
    TrialFigureStore figures,
    TrialLogStore trialLogs,
    WorkerMetrics metrics,
    TimeProvider clock,
    WorkerOptions settings,
    ILogger logger)
{
    /// <summary>The attempt of <paramref name="lease"/>: its heartbeat starts now.</summary>
    public TrialAttempt Begin(TrialLease lease, CancellationToken stopping)
    {
        LogStarting(slot, lease.SweepId, lease.Number, lease.Attempt);
        return new TrialAttempt(lease, grains.GetGrain<ISweepGrain>(lease.SweepId), scheduler, slot, settings.OutageGrace, trialLogs, clock, logger, stopping);
    }

    /// <summary>The trial's first log line: where it starts from, and <paramref name="how"/> it trains.</summary>
    public void LogStart(TrialAttempt attempt, int? savedEpoch, string how) => attempt.Log.Info(
        $"attempt {attempt.Lease.Attempt} started on {slot} ({(savedEpoch is { } epoch ? $"from the checkpoint of epoch {epoch}" : "from scratch")}{how})", attempt.Stopped);

    /// <summary>The checkpoint the trial resumes from; null: it starts afresh.</summary>
    public CheckpointRecord? Saved(TrialAttempt attempt) =>
        attempt.Retry.Run(token => checkpoints.GetAsync(attempt.Lease.TrialId, cancellationToken: token), attempt.Stopped);

    /// <summary>
    /// Runs <paramref name="step"/> of the attempt and ends the trial when it says so. A failure in training ends it
    /// failed: divergence at once (training is deterministic: the same seed from the same checkpoint diverges again),
    /// any other exception of the trial's as an error the coordinator retries from the checkpoint. True while the trial
    /// trains on; false once it ended or is no longer this slot's (lease lost, outage past it, worker stopping).
    /// </summary>
    public bool Run(TrialAttempt attempt, Func<StepOutcome> step)
    {
        var lease = attempt.Lease;
        try
        {
            StepOutcome outcome;
            try
            {
                outcome = step();
            }
            catch (TrainingDivergedException ex)
            {
                attempt.Log.Error(ex.ToString(), attempt.Stopped);
                outcome = StepOutcome.End(TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Diverged, ex.Message));
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or LeaseLostException or RecordNotFoundException) && !Outages.IsOutage(ex))
            {
                // Whatever went wrong belongs to this trial (bad config, unreadable checkpoint): report it, go on. The
                // coordinator retries it from its checkpoint until it has failed its attempts. The trial's log keeps
                // the whole exception, its reason the first line.
                LogTrialFailed(ex, slot, lease.SweepId, lease.Number, lease.Attempt);
                attempt.Log.Error(ex.ToString(), attempt.Stopped);
                outcome = StepOutcome.End(TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Error, $"{ex.GetType().Name}: {ex.Message}"));
            }
            if (outcome.TrainsOn) return true;
            if (outcome.Result is { } result)
            {
                attempt.Ending();
                attempt.Retry.Run(_ => attempt.Sweep.EndTrialAsync(result), attempt.Stopped);
            }
        }
        catch (OperationCanceledException) when (attempt.Stopped.IsCancellationRequested)
        {
            // Lease lost or worker stopping: the trial is no longer ours to end; its checkpoint lets the next attempt resume.
            LogAbandoned(slot, lease.SweepId, lease.Number);
        }
        catch (Exception ex) when (ex is LeaseLostException or RecordNotFoundException)
        {
            // The store refused a write: the lease expired while this worker was cut off (the trial is another
            // attempt's now), the sweep was cancelled, or it was deleted with its trials.
            LogLeaseMovedOn(slot, lease.SweepId, lease.Number);
        }
        catch (Exception ex) when (Outages.IsOutage(ex))
        {
            // The outage outlasted the lease: the coordinator gives the trial to another attempt, which resumes from its checkpoint.
            LogOutlasted(slot, lease.SweepId, lease.Number, ex.Message);
        }
        return false;
    }

    /// <summary>
    /// Stores the epoch's metrics and checkpoint, logs it, reports it to the sweep and acts on the verdict: a trial
    /// stopped early ends with its figures, one the sweep abandons (cancelled) ends unreported.
    /// </summary>
    public StepOutcome RecordEpoch(TrialAttempt attempt, ITrialModel model, EpochReport report, int totalEpochs)
    {
        var (lease, cancellationToken) = (attempt.Lease, attempt.Stopped);
        metrics.EpochTrained(index, report.Seconds, report.SamplesPerSecond);
        StoreEpoch(attempt, model, report);
        attempt.Log.Info(EpochLine(report, totalEpochs), cancellationToken);
        var result = new EpochResult(lease.TrialId, lease.LeaseId, report.Epoch, Losses(report.Train), Losses(report.Test), Latents(report.TestLatents), report.SamplesPerSecond);
        var verdict = attempt.Retry.Run(_ => attempt.Sweep.ReportEpochAsync(result), cancellationToken);
        switch (verdict.Decision)
        {
            case EpochDecision.Stop:
                attempt.Log.Info($"stopped early after epoch {report.Epoch}: {verdict.Reason}", cancellationToken);
                StoreFigures(attempt, model);
                return StepOutcome.End(TrialResult.Stopped(lease.TrialId, lease.LeaseId, Final(report.Test, analysis: null)));
            case EpochDecision.Abandon:
                LogDropped(slot, lease.SweepId, lease.Number, verdict.Reason);
                return StepOutcome.End(null);
            default:
                return StepOutcome.Continue;
        }
    }

    /// <summary>The trial trained all its epochs: its final metrics and analysis, its figures stored, its last log line.</summary>
    public StepOutcome Complete(TrialAttempt attempt, ITrialModel model)
    {
        attempt.Stopped.ThrowIfCancellationRequested();
        var completed = TrialResult.Completed(attempt.Lease.TrialId, attempt.Lease.LeaseId, Final(model.EvaluateTest(), model.Analyze()));
        StoreFigures(attempt, model);
        var final = completed.Metrics!;
        attempt.Log.Info(FormattableString.Invariant($"completed: test loss {final.TestTotal:G6} (recon {final.TestRecon:G6}, kl {final.TestKl:G6}), IWAE NLL {final.IwaeNll:G6}, {final.ActiveUnits} active units"), attempt.Stopped);
        return StepOutcome.End(completed);
    }

    /// <summary>
    /// Renders the trial's figures and stores them before the trial is ended, so that a client that sees it ended can
    /// download them. A failure is logged and no more: the figures can be drawn again from the stored checkpoint, and
    /// must never turn a trained trial into a failed one. A refused write (the lease moved on) abandons the trial.
    /// </summary>
    private void StoreFigures(TrialAttempt attempt, ITrialModel model)
    {
        var lease = attempt.Lease;
        try
        {
            var rendered = model.RenderFigures().Select(figure => KeyValuePair.Create(figure.Name, figure.Png)).ToList();
            attempt.Retry.Run(token => figures.PutAsync(lease.TrialId, lease.LeaseId, rendered, token), attempt.Stopped);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or LeaseLostException or RecordNotFoundException))
        {
            LogFiguresFailed(ex, slot, lease.SweepId, lease.Number);
            attempt.Log.Warning($"the figures were not stored (they can be drawn again from the checkpoint): {ex.GetType().Name}: {ex.Message}", attempt.Stopped);
        }
    }

    /// <summary>
    /// The epoch's metrics, then its checkpoint, made only after the metrics are stored: they are what a user waits to
    /// see, and serialising the model takes a tenth of a second. The checkpoint is made here, on the slot's thread,
    /// not in a store's continuation: TorchSharp's dispose scopes and grad mode belong to a thread. Metrics stored twice
    /// (a retry after an outage, an attempt resumed from the checkpoint before) are the same rows.
    /// </summary>
    private void StoreEpoch(TrialAttempt attempt, ITrialModel model, EpochReport report)
    {
        var (lease, cancellationToken) = (attempt.Lease, attempt.Stopped);
        SplitMetrics[] splits =
        [
            new(MetricSplit.Train, report.Train.Recon, report.Train.Kl, report.Train.Total, report.Seconds, report.SamplesPerSecond),
            new(MetricSplit.Test, report.Test.Recon, report.Test.Kl, report.Test.Total, 0, 0, report.TestLatents?.KlPerDimension, report.TestLatents?.ActiveUnits),
        ];
        long started = clock.GetTimestamp();
        attempt.Retry.Run(token => epochMetrics.AppendAsync(lease.TrialId, lease.LeaseId, report.Epoch, splits, token), cancellationToken);
        var storing = clock.GetElapsedTime(started);
        var checkpoint = model.CreateCheckpoint();
        started = clock.GetTimestamp();
        attempt.Retry.Run(token => checkpoints.PutAsync(lease.TrialId, lease.LeaseId, report.Epoch, checkpoint, token), cancellationToken);
        metrics.CheckpointStored(storing + clock.GetElapsedTime(started));
    }

    private static string EpochLine(EpochReport report, int totalEpochs) => FormattableString.Invariant(
        $"epoch {report.Epoch}/{totalEpochs}: train loss {report.Train.Total:G6} (recon {report.Train.Recon:G6}, kl {report.Train.Kl:G6}), test loss {report.Test.Total:G6} (recon {report.Test.Recon:G6}, kl {report.Test.Kl:G6}); {report.Seconds:F1} s, {report.SamplesPerSecond:F0} samples/s");

    private static EpochLosses Losses(SplitLosses split) => new(split.Total, split.Recon, split.Kl);

    private static EpochLatents? Latents(LatentStatistics? latents) => latents is null ? null : new([.. latents.KlPerDimension], latents.ActiveUnits);

    private static TrialFinalMetrics Final(SplitLosses test, LatentAnalysis? analysis) =>
        new(test.Total, test.Recon, test.Kl, analysis?.IwaeNll, analysis?.ActiveUnits);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slot}: training trial {Number} of sweep {SweepId} (attempt {Attempt})")]
    private partial void LogStarting(string slot, Guid sweepId, int number, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: stopped trial {Number} of sweep {SweepId} before its end (lease lost or worker stopping)")]
    private partial void LogAbandoned(string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: abandoned trial {Number} of sweep {SweepId}: its lease moved on (expired, or the sweep was cancelled or deleted) and the store refuses its writes")]
    private partial void LogLeaseMovedOn(string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: gave up trial {Number} of sweep {SweepId}: the coordinator or store stayed unreachable past its lease and the outage grace ({Reason}); another attempt resumes it from its checkpoint")]
    private partial void LogOutlasted(string slot, Guid sweepId, int number, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slot}: dropped trial {Number} of sweep {SweepId}: {Reason}")]
    private partial void LogDropped(string slot, Guid sweepId, int number, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: trial {Number} of sweep {SweepId} ends without its figures: they could not be rendered or stored")]
    private partial void LogFiguresFailed(Exception exception, string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Slot}: attempt {Attempt} of trial {Number} of sweep {SweepId} failed")]
    private partial void LogTrialFailed(Exception exception, string slot, Guid sweepId, int number, int attempt);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Worker.Telemetry;
using SweepRunner.Worker.Training;
using static TorchSharp.torch;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// One training slot: leases a trial, trains it epoch by epoch, stores metrics and a checkpoint after each epoch,
/// reports to the sweep, stores the trial's figures when it completes or is stopped, and leases the next. The whole
/// loop runs on one dedicated thread: TorchSharp's dispose scopes and grad mode are per thread, and a grain call never
/// waits on training (only small messages go to grains; checkpoints and figures go straight to the store). Blocking
/// on I/O here costs nothing, the thread is the slot's alone.
/// </summary>
internal sealed partial class TrainingSlot(
    int index,
    IGrainFactory grains,
    ITrialTrainer trainer,
    EpochMetricStore epochMetrics,
    CheckpointStore checkpoints,
    TrialFigureStore figures,
    TrialLogStore trialLogs,
    WorkerMetrics metrics,
    TimeProvider clock,
    IOptions<WorkerOptions> options,
    ILogger<TrainingSlot> logger) : BackgroundService
{
    private readonly WorkerOptions settings = options.Value;

    private string Name => $"{settings.Name}/slot-{index}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        TrainingDevice.Require(settings.Device);
        set_num_threads(settings.EffectiveThreads);
        metrics.LibtorchThreads(get_num_threads());
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        while (!stoppingToken.IsCancellationRequested)
        {
            TrialLease? lease;
            try
            {
                lease = scheduler.LeaseAsync(Name, settings.EffectiveTags).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLeaseFailed(Name, ex.Message);
                stoppingToken.WaitHandle.WaitOne(settings.IdlePoll * 10);
                continue;
            }
            if (lease is null)
            {
                stoppingToken.WaitHandle.WaitOne(settings.IdlePoll);
                continue;
            }
            using (metrics.Busy())
            {
                try
                {
                    RunTrial(scheduler, lease, stoppingToken);
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    // Not the trial's and not an outage: say so, and keep the slot (its lease lapses; another attempt resumes it).
                    LogSlotError(ex, Name, lease.SweepId, lease.Number);
                }
            }
        }
    }

    private void RunTrial(ITrialSchedulerGrain scheduler, TrialLease lease, CancellationToken stoppingToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>(lease.SweepId);
        using var heartbeat = new LeaseHeartbeat(scheduler, lease, clock, logger);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, heartbeat.Lost);
        var retry = new LeaseBoundRetry(heartbeat, settings.OutageGrace, clock, Name, logger);
        var log = new AttemptLog(trialLogs, lease, retry, Name, logger);
        LogStarting(Name, lease.SweepId, lease.Number, lease.Attempt);
        try
        {
            TrialResult? result;
            try
            {
                result = Train(sweep, lease, retry, log, stop.Token);
            }
            catch (TrainingDivergedException ex)
            {
                // Training is deterministic: the same seed from the same checkpoint diverges again, so the coordinator
                // ends the trial at once instead of spending its remaining attempts.
                log.Error(ex.ToString(), stop.Token);
                result = TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Diverged, ex.Message);
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or LeaseLostException or RecordNotFoundException) && !Outages.IsOutage(ex))
            {
                // Whatever went wrong belongs to this trial (bad config, unreadable checkpoint): report it, go on. The
                // coordinator retries it from its checkpoint until it has failed its attempts. The trial's log keeps
                // the whole exception, its reason the first line.
                LogTrialFailed(ex, Name, lease.SweepId, lease.Number, lease.Attempt);
                log.Error(ex.ToString(), stop.Token);
                result = TrialResult.Failed(lease.TrialId, lease.LeaseId, FailureClass.Error, $"{ex.GetType().Name}: {ex.Message}");
            }
            if (result is not null) retry.Run(_ => sweep.EndTrialAsync(result), stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Lease lost or worker stopping: the trial is no longer ours to end; its checkpoint lets the next attempt resume.
            LogAbandoned(Name, lease.SweepId, lease.Number);
        }
        catch (Exception ex) when (ex is LeaseLostException or RecordNotFoundException)
        {
            // The store refused a write: the lease expired while this worker was cut off (the trial is another
            // attempt's now), the sweep was cancelled, or it was deleted with its trials.
            LogLeaseMovedOn(Name, lease.SweepId, lease.Number);
        }
        catch (Exception ex) when (Outages.IsOutage(ex))
        {
            // The outage outlasted the lease: the coordinator gives the trial to another attempt, which resumes from its checkpoint.
            LogOutlasted(Name, lease.SweepId, lease.Number, ex.Message);
        }
    }

    /// <summary>Trains the trial to its end; null when the sweep says to drop it (cancelled).</summary>
    private TrialResult? Train(ISweepGrain sweep, TrialLease lease, LeaseBoundRetry retry, AttemptLog log, CancellationToken cancellationToken)
    {
        var saved = retry.Run(token => checkpoints.GetAsync(lease.TrialId, cancellationToken: token), cancellationToken);
        log.Info($"attempt {lease.Attempt} started on {Name} ({(saved is null ? "from scratch" : $"from the checkpoint of epoch {saved.Epoch}")})", cancellationToken);
        var config = TrialTrainingConfig.FromJson(lease.ConfigJson);
        using var run = trainer.Open(config, saved?.Bytes);
        while (run.CompletedEpochs < run.TotalEpochs)
        {
            var report = run.TrainEpoch(cancellationToken);
            metrics.EpochTrained(index, report.Seconds, report.SamplesPerSecond);
            var checkpoint = run.CreateCheckpoint();
            retry.Run(token => StoreEpochAsync(lease, report, checkpoint, token), cancellationToken);
            log.Info(EpochLine(report, run.TotalEpochs), cancellationToken);
            var result = new EpochResult(lease.TrialId, lease.LeaseId, report.Epoch, Losses(report.Train), Losses(report.Test), Latents(report.TestLatents), report.SamplesPerSecond);
            var verdict = retry.Run(_ => sweep.ReportEpochAsync(result), cancellationToken);
            switch (verdict.Decision)
            {
                case EpochDecision.Stop:
                    log.Info($"stopped early after epoch {report.Epoch}: {verdict.Reason}", cancellationToken);
                    StoreFigures(lease, run, retry, log, cancellationToken);
                    return TrialResult.Stopped(lease.TrialId, lease.LeaseId, Final(report.Test, analysis: null));
                case EpochDecision.Abandon:
                    LogDropped(Name, lease.SweepId, lease.Number, verdict.Reason);
                    return null;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var completed = TrialResult.Completed(lease.TrialId, lease.LeaseId, Final(run.EvaluateTest(), run.Analyze()));
        StoreFigures(lease, run, retry, log, cancellationToken);
        var final = completed.Metrics!;
        log.Info(FormattableString.Invariant($"completed: test loss {final.TestTotal:G6} (recon {final.TestRecon:G6}, kl {final.TestKl:G6}), IWAE NLL {final.IwaeNll:G6}, {final.ActiveUnits} active units"), cancellationToken);
        return completed;
    }

    /// <summary>
    /// Renders the trial's figures and stores them before the trial is ended, so that a client that sees it ended can
    /// download them. A failure is logged and no more: the figures can be drawn again from the stored checkpoint, and
    /// must never turn a trained trial into a failed one. A refused write (the lease moved on) abandons the trial.
    /// </summary>
    private void StoreFigures(TrialLease lease, ITrialTraining run, LeaseBoundRetry retry, AttemptLog log, CancellationToken cancellationToken)
    {
        try
        {
            var rendered = run.RenderFigures().Select(figure => KeyValuePair.Create(figure.Name, figure.Png)).ToList();
            retry.Run(token => figures.PutAsync(lease.TrialId, lease.LeaseId, rendered, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or LeaseLostException or RecordNotFoundException))
        {
            LogFiguresFailed(ex, Name, lease.SweepId, lease.Number);
            log.Warning($"the figures were not stored (they can be drawn again from the checkpoint): {ex.GetType().Name}: {ex.Message}", cancellationToken);
        }
    }

    private async Task StoreEpochAsync(TrialLease lease, EpochReport report, byte[] checkpoint, CancellationToken cancellationToken)
    {
        SplitMetrics[] splits =
        [
            new(MetricSplit.Train, report.Train.Recon, report.Train.Kl, report.Train.Total, report.Seconds, report.SamplesPerSecond),
            new(MetricSplit.Test, report.Test.Recon, report.Test.Kl, report.Test.Total, 0, 0, report.TestLatents?.KlPerDimension, report.TestLatents?.ActiveUnits),
        ];
        long started = clock.GetTimestamp();
        await epochMetrics.AppendAsync(lease.TrialId, lease.LeaseId, report.Epoch, splits, cancellationToken);
        await checkpoints.PutAsync(lease.TrialId, lease.LeaseId, report.Epoch, checkpoint, cancellationToken);
        metrics.CheckpointStored(clock.GetElapsedTime(started));
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Slot}: trial {Number} of sweep {SweepId} left to its lease after an unexpected error")]
    private partial void LogSlotError(Exception exception, string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slot}: dropped trial {Number} of sweep {SweepId}: {Reason}")]
    private partial void LogDropped(string slot, Guid sweepId, int number, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: trial {Number} of sweep {SweepId} ends without its figures: they could not be rendered or stored")]
    private partial void LogFiguresFailed(Exception exception, string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Slot}: attempt {Attempt} of trial {Number} of sweep {SweepId} failed")]
    private partial void LogTrialFailed(Exception exception, string slot, Guid sweepId, int number, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: cannot reach the coordinator to lease a trial: {Reason}")]
    private partial void LogLeaseFailed(string slot, string reason);
}

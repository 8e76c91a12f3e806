using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Models;
using SweepRunner.Worker.Telemetry;
using SweepRunner.Worker.Training;
using static TorchSharp.torch;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// One training slot: leases a trial (or, for a sweep that packs, a group of trials: <see cref="PackedTrialGroup"/>),
/// trains it epoch by epoch, stores metrics and a checkpoint after each epoch, reports to the sweep, stores the trial's
/// figures when it completes or is stopped, and leases the next. The whole loop runs on one dedicated thread:
/// TorchSharp's dispose scopes and grad mode are per thread, and a grain call never waits on training (only small
/// messages go to grains; checkpoints and figures go straight to the store). Blocking on I/O here costs nothing, the
/// thread is the slot's alone.
/// </summary>
internal sealed partial class TrainingSlot(
    int index, IGrainFactory grains, ITrialTrainer trainer, WorkerMetrics metrics, IOptions<WorkerOptions> options, IServiceProvider services, ILogger<TrainingSlot> logger)
    : BackgroundService
{
    private readonly WorkerOptions settings = options.Value;

    private string Name => $"{settings.Name}/slot-{index}";

    // Not started under stoppingToken: a host whose start fails cancels it at once, and a task cancelled before it ran
    // would be reported by the host as a failed service. Run watches the token itself.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        TrainingDevice.Require(settings.Device);
        set_num_threads(settings.EffectiveThreads);
        metrics.LibtorchThreads(get_num_threads());
        var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);
        // The stores, the clock and the metrics are the host's; the rest is this slot's.
        var steps = ActivatorUtilities.CreateInstance<AttemptSteps>(services, Name, index, scheduler, settings, (ILogger)logger);
        int groupSize = trainer.Packs ? Math.Max(1, settings.MaxPackedTrials) : 1;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<TrialLease> leases;
            try
            {
                leases = scheduler.LeaseGroupAsync(Name, settings.EffectiveTags, groupSize).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLeaseFailed(Name, ex.Message);
                stoppingToken.WaitHandle.WaitOne(settings.IdlePoll * 10);
                continue;
            }
            if (leases.Count == 0)
            {
                stoppingToken.WaitHandle.WaitOne(settings.IdlePoll);
                continue;
            }
            using (metrics.Busy())
            {
                try
                {
                    if (leases is [var lease]) TrainAlone(steps, lease, stoppingToken);
                    else new PackedTrialGroup(steps, trainer).Train(leases, stoppingToken);
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    // Not the trial's and not an outage: say so, and keep the slot (its lease lapses; another attempt resumes it).
                    foreach (var lease in leases) LogSlotError(ex, Name, lease.SweepId, lease.Number);
                }
                TorchEnvironment.ReleaseFreedMemory();
            }
        }
    }

    private void TrainAlone(AttemptSteps steps, TrialLease lease, CancellationToken stoppingToken)
    {
        using var attempt = steps.Begin(lease, stoppingToken);
        steps.Run(attempt, () => Train(steps, attempt));
    }

    /// <summary>Trains the trial alone, from its checkpoint if it has one, to its end or until the sweep's verdict ends it.</summary>
    private StepOutcome Train(AttemptSteps steps, TrialAttempt attempt)
    {
        var saved = steps.Saved(attempt);
        steps.LogStart(attempt, saved?.Epoch, how: "");
        using var run = trainer.Open(TrialTrainingConfig.FromJson(attempt.Lease.ConfigJson), saved?.Bytes);
        while (run.CompletedEpochs < run.TotalEpochs)
        {
            var outcome = steps.RecordEpoch(attempt, run, run.TrainEpoch(attempt.Stopped), run.TotalEpochs);
            TorchEnvironment.ReleaseFreedMemory();
            if (!outcome.TrainsOn) return outcome;
        }
        return steps.Complete(attempt, run);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Slot}: trial {Number} of sweep {SweepId} left to its lease after an unexpected error")]
    private partial void LogSlotError(Exception exception, string slot, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: cannot reach the coordinator to lease a trial: {Reason}")]
    private partial void LogLeaseFailed(string slot, string reason);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Models;

namespace SweepRunner.Worker.Training;

/// <summary>
/// Warms the trainer (<see cref="ITrialTrainer.WarmUp"/>) on a pool thread as the worker starts, so that the first trial
/// finds the dataset parsed and libtorch loaded instead of paying for both after its lease. Nothing waits for it: a trial
/// that needs the dataset first waits for the same load, and a failure here is the first trial's to report.
/// </summary>
public sealed partial class TrainerWarmUp(ITrialTrainer trainer, ILogger<TrainerWarmUp> logger) : BackgroundService
{
    // Not tied to stoppingToken: a host whose start fails cancels it at once, and a Task.Run cancelled before it ran
    // would be reported by the host as a failed service. A warm-up left running ends with the process.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            trainer.WarmUp();
            TorchEnvironment.ReleaseFreedMemory();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogWarmUpFailed(ex.Message);
        }
    }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warming the trainer up failed ({Reason}); the first trial that needs it reports the cause")]
    private partial void LogWarmUpFailed(string reason);
}

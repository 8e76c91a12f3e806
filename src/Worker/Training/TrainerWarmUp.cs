using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Models;

namespace SweepRunner.Worker.Training;

/// <summary>
/// Warms the trainer (<see cref="ITrialTrainer.WarmUp"/>) on a pool thread as the worker starts, so that the first trial
/// finds the dataset parsed and libtorch loaded instead of paying for both after its lease. Nothing waits for it: a trial
/// that needs the dataset first waits for the same load, and a failure here is the first trial's to report.
/// </summary>
/// <remarks>
/// It begins in <see cref="StartingAsync"/>, which the host calls for every service, in their order, before it starts
/// any; <c>AddWorker</c> makes it the first service. In <c>sweep run</c> the warm-up then runs beside the schema
/// migration and the silo's start on the other core, instead of after them, and is done before the first lease. Stopping waits for it, as for a slot: the process must not exit
/// while it is inside libtorch.
/// </remarks>
public sealed partial class TrainerWarmUp(ITrialTrainer trainer, ILogger<TrainerWarmUp> logger) : IHostedLifecycleService
{
    private Task warmUp = Task.CompletedTask;

    // Not tied to the host's tokens: a host whose start fails cancels them at once, and the warm-up is waited for anyway.
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        warmUp = Task.Run(WarmUp, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A shutdown whose timeout expires first stops waiting, quietly: the warm-up holds nothing the host must release.
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await warmUp.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WarmUp()
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
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warming the trainer up failed ({Reason}); the first trial that needs it reports the cause")]
    private partial void LogWarmUpFailed(string reason);
}

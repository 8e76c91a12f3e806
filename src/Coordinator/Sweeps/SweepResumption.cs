using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>
/// When the coordinator starts, and every <see cref="CoordinatorOptions.SweepInterval"/> after, wakes the scheduler and
/// the grains of the sweeps the database says are pending or running: a restarted coordinator then ends the leases its
/// predecessor handed out that their workers do not renew within the scheduler's grace, and proposes or completes as before, and when the silo that hosted those grains dies (one of
/// several coordinators), they come back on a survivor with their timers even if no worker calls them. Calling an
/// active grain costs one status query; every coordinator does it, as any of them may be the survivor.
/// </summary>
internal sealed partial class SweepResumption(
    SweepStore sweeps,
    IGrainFactory grains,
    IOptions<CoordinatorOptions> options,
    TimeProvider clock,
    ILogger<SweepResumption> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
            do
            {
                await WakeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task WakeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key).ExpireLeasesAsync();
            var open = await sweeps.ListAsync([SweepStatus.Pending, SweepStatus.Running], int.MaxValue, stoppingToken);
            // At once: a grain whose silo just died holds its call until the cluster declares the silo dead, not the others.
            await Task.WhenAll(open.Select(sweep => grains.GetGrain<ISweepGrain>(sweep.Id).StartAsync()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A silo dying or the store away: the next round tries again, and the grains' own timers do the work meanwhile.
            LogWakeFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running sweeps not woken this round: {Reason}")]
    private partial void LogWakeFailed(string reason);
}

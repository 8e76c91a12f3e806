using Microsoft.Extensions.Hosting;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>
/// When the coordinator starts, wakes the grains of the sweeps the database says are running and the scheduler: a
/// restarted coordinator then proposes or completes as before, and ends the leases its predecessor handed out that
/// their workers do not renew within the scheduler's grace.
/// </summary>
internal sealed class SweepResumption(SweepStore sweeps, IGrainFactory grains) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key).ExpireLeasesAsync();
        foreach (var sweep in await sweeps.ListAsync([SweepStatus.Pending, SweepStatus.Running], int.MaxValue, stoppingToken))
            await grains.GetGrain<ISweepGrain>(sweep.Id).StartAsync();
    }
}

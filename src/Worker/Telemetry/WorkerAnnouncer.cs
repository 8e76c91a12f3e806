using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Worker.Cluster;

namespace SweepRunner.Worker.Telemetry;

/// <summary>
/// Announces the worker to the coordinator's registry once started and every <see cref="WorkerOptions.AnnounceInterval"/>
/// after: its name, slots, tags and metrics address (when it serves one). A missed announcement is tried again at the next.
/// A worker process's readiness (<see cref="CoordinatorHealthCheck"/>) follows the last one's outcome.
/// </summary>
internal sealed partial class WorkerAnnouncer(
    IGrainFactory grains,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<WorkerAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await AnnounceUntilStoppedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped, also when the host stops before it has started (a port taken): nothing to report.
        }
    }

    private async Task AnnounceUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // The endpoint's address is known once the server listens, which is when the host has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var endpoint = services.GetService<WorkerEndpoint>();
        // A worker process's readiness; the embedded mode's in-process announcements have none.
        var health = services.GetService<CoordinatorHealthCheck>();
        var registry = grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key);
        using var timer = new PeriodicTimer(settings.AnnounceInterval, clock);
        do
        {
            try
            {
                await registry.AnnounceAsync(new WorkerAnnouncement(settings.Name, settings.Slots, endpoint?.Address) { Tags = WorkerTags.Join(settings.EffectiveTags) });
                health?.Announced();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                health?.AnnounceFailed(ex.Message);
                LogAnnounceFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot announce this worker to the coordinator: {Reason}")]
    private partial void LogAnnounceFailed(string reason);
}

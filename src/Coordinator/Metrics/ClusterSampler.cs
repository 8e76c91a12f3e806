using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Statistics;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// Every <see cref="CoordinatorOptions.SweepInterval"/>, reads the cluster's state from the store and the worker
/// registry into <see cref="ClusterMetrics"/>, and ends the series of trials that ended by any path (a worker's report,
/// a lease that ran out on the last attempt, a cancelled sweep). A failed sample keeps the last one: metrics never stop
/// the coordinator, and an outage is logged by what it breaks.
/// </summary>
internal sealed partial class ClusterSampler(
    ClusterStatisticsQuery query,
    IGrainFactory grains,
    ClusterMetrics cluster,
    TrialSeries trialSeries,
    IOptions<CoordinatorOptions> options,
    TimeProvider clock,
    ILogger<ClusterSampler> logger) : BackgroundService
{
    private readonly CoordinatorOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SampleUntilStoppedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped, also when the host stops before it has started (a port taken): nothing to report.
        }
    }

    private async Task SampleUntilStoppedAsync(CancellationToken stoppingToken)
    {
        DateTime? lastRead = null;
        using var timer = new PeriodicTimer(settings.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = clock.GetUtcNow().UtcDateTime;
                // Overlapping windows: a trial ended twice is ended once, one missed would keep its series.
                var endedSince = lastRead - settings.SweepInterval ?? now - settings.FinishedSeriesRetention;
                var statistics = await query.ReadAsync(now - settings.FinishedSeriesRetention, endedSince, stoppingToken);
                var workers = await grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key).ListAsync();
                cluster.Update(statistics, workers.Count);
                foreach (var trial in statistics.EndedTrials) trialSeries.End(trial);
                trialSeries.Prune();
                lastRead = statistics.At;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSampleFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster metrics not sampled: {Reason}")]
    private partial void LogSampleFailed(string reason);
}

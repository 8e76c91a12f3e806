using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Common;
using SweepRunner.Storage.Clusters;

namespace SweepRunner.Coordinator.Cluster;

/// <summary>
/// Before the silo starts (after the schema step): records this coordinator in the store's cluster row, or fails the
/// start when the store belongs to another cluster or to newer coordinators (<see cref="ClusterRegistry.JoinAsCoordinatorAsync"/>).
/// </summary>
internal sealed partial class ClusterRegistration(ClusterRegistry registry, string clusterId, ILogger<ClusterRegistration> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var cluster = await registry.JoinAsCoordinatorAsync(clusterId, ProductVersion.Current, cancellationToken);
        LogJoined(cluster.ClusterId, cluster.CoordinatorVersion);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store of cluster {ClusterId}: coordinator version {Version} recorded")]
    private partial void LogJoined(string clusterId, string version);
}

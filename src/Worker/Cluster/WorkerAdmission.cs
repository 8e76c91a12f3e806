using Microsoft.Extensions.Hosting;
using SweepRunner.Common;
using SweepRunner.Storage.Clusters;

namespace SweepRunner.Worker.Cluster;

/// <summary>
/// Before the worker's Orleans client connects (after the schema step): fails the start when the store belongs to
/// another cluster or its coordinator runs an incompatible version (<see cref="ClusterRegistry.CheckWorkerAsync"/>).
/// </summary>
internal sealed class WorkerAdmission(ClusterRegistry registry, string clusterId) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => registry.CheckWorkerAsync(clusterId, ProductVersion.Current, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

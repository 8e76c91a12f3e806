using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SweepRunner.Coordinator.Cluster;

/// <summary>
/// Readiness: this coordinator's silo is active in the cluster's membership, as the silo itself sees it (no call
/// leaves the process). Joining, shutting down or voted dead, it is not ready.
/// </summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public const string Name = "silo";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}, not active in the cluster"));
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SweepRunner.Worker.Cluster;

/// <summary>
/// Readiness of a worker process: its last announcement to the coordinator's registry went through (the Orleans client
/// is connected, and the coordinator's grains answer). The announcer reports each outcome here; the check itself
/// calls nothing, so that a probe never waits on the coordinator.
/// </summary>
internal sealed class CoordinatorHealthCheck(TimeProvider clock) : IHealthCheck
{
    public const string Name = "coordinator";

    private readonly Lock gate = new();

    private HealthCheckResult last = HealthCheckResult.Unhealthy("not announced to the coordinator yet");

    public void Announced() => Record(HealthCheckResult.Healthy($"announced to the coordinator at {clock.GetUtcNow():HH:mm:ss} UTC"));

    public void AnnounceFailed(string reason) =>
        Record(HealthCheckResult.Unhealthy($"the last announcement to the coordinator failed at {clock.GetUtcNow():HH:mm:ss} UTC: {reason}"));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (gate) return Task.FromResult(last);
    }

    private void Record(HealthCheckResult result)
    {
        lock (gate) last = result;
    }
}

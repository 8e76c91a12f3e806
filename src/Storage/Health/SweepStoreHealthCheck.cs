using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Storage.Health;

/// <summary>
/// Readiness: the sweep store answers a query of its own schema within <see cref="Timeout"/>. One cheap read, without
/// the store's retries (a probe that waited out an outage would answer after the prober gave up), as the host's own
/// connection string and role see it.
/// </summary>
internal sealed class SweepStoreHealthCheck(SweepDbContextFactory contexts) : IHealthCheck
{
    public const string Name = "sweep-store";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = contexts.CreateDbContextWithoutRetry();
            await db.Cluster.AnyAsync(timeout.Token);
            return HealthCheckResult.Healthy($"the {contexts.Connection.Description} answers");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the {contexts.Connection.Description} did not answer within {Timeout.TotalSeconds:F0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the {contexts.Connection.Description} does not answer: {ConnectionFailure.Reason(ex) ?? ex.Message}");
        }
    }
}

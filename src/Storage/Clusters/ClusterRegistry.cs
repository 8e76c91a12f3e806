using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;

namespace SweepRunner.Storage.Clusters;

/// <summary>
/// The store's <see cref="ClusterRecord"/>: which Orleans cluster the store belongs to and which version its
/// coordinators run, checked by every coordinator and worker before it joins.
/// </summary>
public sealed class ClusterRegistry(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>The store's cluster, or null while no coordinator has started on it.</summary>
    public async Task<ClusterRecord?> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Cluster.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// A coordinator of cluster <paramref name="clusterId"/> and version <paramref name="version"/> starts on the store.
    /// The first one makes the store its cluster's; later ones must be of that cluster and not older (by major and
    /// minor number) than the coordinators before them, and record their version. Throws
    /// <see cref="IncompatibleStoreException"/> otherwise.
    /// </summary>
    public async Task<ClusterRecord> JoinAsCoordinatorAsync(string clusterId, ProductVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(version);
        try
        {
            return await RecordAsync(clusterId, version, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another coordinator inserted the row first (both found none): check against what it wrote.
            return await RecordAsync(clusterId, version, cancellationToken);
        }
    }

    /// <summary>
    /// A worker of cluster <paramref name="clusterId"/> and version <paramref name="version"/> is about to join: throws
    /// <see cref="IncompatibleStoreException"/> when the store belongs to another cluster or its coordinator's version is
    /// not compatible. A store no coordinator has started on yet says nothing (the worker waits for one anyway).
    /// </summary>
    public async Task CheckWorkerAsync(string clusterId, ProductVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(version);
        if (await GetAsync(cancellationToken) is not { } cluster) return;
        CheckClusterId(cluster, clusterId, "worker");
        var coordinator = ProductVersion.Parse(cluster.CoordinatorVersion);
        if (coordinator is null || !version.IsCompatibleWith(coordinator))
            throw new IncompatibleStoreException(
                $"this worker is SweepRunner {version}, but the cluster's coordinator is SweepRunner {cluster.CoordinatorVersion}: " +
                $"a worker joins only a coordinator of the same major.minor version; run a worker of version {cluster.CoordinatorVersion}");
    }

    private async Task<ClusterRecord> RecordAsync(string clusterId, ProductVersion version, CancellationToken cancellationToken) =>
        await contexts.InTransactionAsync(async (db, token) =>
        {
            var now = clock.StorageNow();
            var cluster = await db.Cluster.SingleOrDefaultAsync(token);
            if (cluster is null)
            {
                cluster = new ClusterRecord { Id = ClusterRecord.SingleRowId, ClusterId = clusterId, CoordinatorVersion = version.Text, CreatedAt = now, UpdatedAt = now };
                db.Cluster.Add(cluster);
            }
            else
            {
                CheckClusterId(cluster, clusterId, "coordinator");
                if (ProductVersion.Parse(cluster.CoordinatorVersion) is { } recorded && version.IsOlderReleaseThan(recorded))
                    throw new IncompatibleStoreException(
                        $"this coordinator is SweepRunner {version}, older than the cluster's coordinators (SweepRunner {cluster.CoordinatorVersion}); " +
                        $"run version {cluster.CoordinatorVersion} or newer");
                (cluster.CoordinatorVersion, cluster.UpdatedAt) = (version.Text, now);
            }
            await db.SaveChangesAsync(token);
            return cluster;
        }, cancellationToken);

    private static void CheckClusterId(ClusterRecord cluster, string clusterId, string role)
    {
        if (!string.Equals(cluster.ClusterId, clusterId, StringComparison.Ordinal))
            throw new IncompatibleStoreException(
                $"this database belongs to cluster '{cluster.ClusterId}'; this {role} is configured for cluster '{clusterId}' (Orleans__ClusterId)");
    }
}

using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Tests;

public sealed class ClusterRegistryTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly ProductVersion V1_2 = ProductVersion.Parse("1.2.0")!;
    private static readonly ProductVersion V1_2_5 = ProductVersion.Parse("1.2.5+abc")!;
    private static readonly ProductVersion V1_3 = ProductVersion.Parse("1.3.0")!;

    [Theory, BothProviders]
    public async Task The_first_coordinator_makes_the_store_its_clusters_and_later_ones_record_their_version(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        Assert.Null(await db.Cluster.GetAsync());

        await db.Cluster.JoinAsCoordinatorAsync("blue", V1_2);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        await db.Cluster.JoinAsCoordinatorAsync("blue", V1_2_5);

        var cluster = await db.Cluster.GetAsync();
        Assert.Equal(("blue", "1.2.5+abc"), (cluster?.ClusterId, cluster?.CoordinatorVersion));
        Assert.Equal(TimeSpan.FromMinutes(1), cluster!.UpdatedAt - cluster.CreatedAt);
    }

    [Theory, BothProviders]
    public async Task A_coordinator_of_another_cluster_is_refused(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Cluster.JoinAsCoordinatorAsync("a", V1_2);

        var error = await Assert.ThrowsAsync<IncompatibleStoreException>(() => db.Cluster.JoinAsCoordinatorAsync("b", V1_2));

        Assert.Equal("this database belongs to cluster 'a'; this coordinator is configured for cluster 'b' (Orleans__ClusterId)", error.Message);
        Assert.Equal("a", (await db.Cluster.GetAsync())?.ClusterId);
    }

    [Theory, BothProviders]
    public async Task A_coordinator_older_by_minor_version_is_refused_and_a_newer_one_upgrades_the_cluster(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Cluster.JoinAsCoordinatorAsync("blue", V1_3);

        var older = await Assert.ThrowsAsync<IncompatibleStoreException>(() => db.Cluster.JoinAsCoordinatorAsync("blue", V1_2));
        await db.Cluster.JoinAsCoordinatorAsync("blue", ProductVersion.Parse("2.0.0")!);

        Assert.Equal("this coordinator is SweepRunner 1.2.0, older than the cluster's coordinators (SweepRunner 1.3.0); run version 1.3.0 or newer", older.Message);
        Assert.Equal("2.0.0", (await db.Cluster.GetAsync())?.CoordinatorVersion);
    }

    [Theory, BothProviders]
    public async Task A_worker_joins_a_coordinator_of_its_major_and_minor_version_only(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        // No coordinator yet: nothing to check against.
        await db.Cluster.CheckWorkerAsync("blue", V1_2);
        await db.Cluster.JoinAsCoordinatorAsync("blue", V1_2_5);

        await db.Cluster.CheckWorkerAsync("blue", V1_2);
        var incompatible = await Assert.ThrowsAsync<IncompatibleStoreException>(() => db.Cluster.CheckWorkerAsync("blue", V1_3));
        var otherCluster = await Assert.ThrowsAsync<IncompatibleStoreException>(() => db.Cluster.CheckWorkerAsync("green", V1_2));

        Assert.Equal(
            "this worker is SweepRunner 1.3.0, but the cluster's coordinator is SweepRunner 1.2.5+abc: a worker joins only a coordinator of the same major.minor version; run a worker of version 1.2.5+abc",
            incompatible.Message);
        Assert.Equal("this database belongs to cluster 'blue'; this worker is configured for cluster 'green' (Orleans__ClusterId)", otherCluster.Message);
    }

    [Fact]
    public async Task Two_coordinators_starting_at_once_on_an_empty_store_make_one_row()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.PostgreSql);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => db.Cluster.JoinAsCoordinatorAsync("blue", V1_2)));

        await using var context = db.Contexts.CreateDbContext();
        Assert.Equal(1, await context.Cluster.CountAsync());
    }
}

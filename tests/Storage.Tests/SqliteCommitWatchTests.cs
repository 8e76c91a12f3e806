using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Storage.Tests;

public sealed class SqliteCommitWatchTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Fact]
    public async Task It_sees_each_commit_of_the_stores_once_and_nothing_when_they_only_read()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        using var watch = SqliteCommitWatch.Open(db.Connection);
        Assert.False(watch.Changed());

        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));
        Assert.True(watch.Changed());
        Assert.False(watch.Changed());

        await db.Sweeps.GetAsync(sweep.Id);
        await db.Trials.ListAllAsync(sweep.Id);
        Assert.False(watch.Changed());

        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        Assert.True(watch.Changed());
    }

    [Fact]
    public async Task It_sees_a_commit_made_on_a_connection_outside_the_pool()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        using var watch = SqliteCommitWatch.Open(db.Connection);

        // A store on unpooled connections, as another process's: nothing of it is shared with the test's stores.
        var other = new SweepStore(new SweepDbContextFactory(StorageConnection.Parse(db.Connection.ConnectionString + ";Pooling=False", Environment.CurrentDirectory)), db.Clock);
        await other.CreateAsync(Samples.Sweep(), []);

        Assert.True(watch.Changed());
    }

    [Fact]
    public void Only_a_sqlite_store_can_be_watched()
    {
        var postgresStore = StorageConnection.Parse("Host=127.0.0.1;Port=1;Database=d;Username=u", Environment.CurrentDirectory);

        var error = Assert.Throws<ArgumentException>(() => SqliteCommitWatch.Open(postgresStore));

        Assert.Contains("only a SQLite store", error.Message);
    }
}

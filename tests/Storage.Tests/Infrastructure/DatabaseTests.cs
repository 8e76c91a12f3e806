using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Tests;

/// <summary>Base of the test classes that run on real databases: each test gets its own fresh database.</summary>
[Collection(DatabaseGroup.Name)]
public abstract class DatabaseTests(PostgresFixture postgres)
{
    protected PostgresFixture Postgres { get; } = postgres;

    protected Task<TestDatabase> CreateDatabaseAsync(StorageProvider provider, bool migrated = true) =>
        TestDatabase.CreateAsync(provider, Postgres, migrated);
}

namespace SweepRunner.Storage.Tests;

/// <summary>The tests that use databases: they share one PostgreSQL server and run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "databases";
}

namespace SweepRunner.Storage.Connection;

/// <summary>The database engine behind a connection string.</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file: the one-process embedded mode.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: the system of record of a deployment.</summary>
    PostgreSql,
}

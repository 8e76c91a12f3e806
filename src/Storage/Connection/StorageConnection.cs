using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Connection;

/// <summary>
/// Where the sweep store lives: a provider and its connection string. A <c>Host=</c> string is PostgreSQL; a
/// <c>Data Source=</c> string or a bare file path is SQLite.
/// </summary>
public sealed record StorageConnection
{
    /// <summary>The name under <c>ConnectionStrings</c> (environment: <c>ConnectionStrings__SweepRunner</c>).</summary>
    public const string ConnectionStringName = "SweepRunner";

    /// <summary>The SQLite file used when nothing is configured, relative to the working directory.</summary>
    public static readonly string DefaultSqliteFile = Path.Combine(".sweeprunner", "sweeprunner.db");

    private StorageConnection(StorageProvider provider, string connectionString, string description)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>What the connection points at, without credentials: "PostgreSQL at host:port, database d, user u".</summary>
    public string Description { get; }

    /// <summary>For SQLite, the database file's full path; null for PostgreSQL.</summary>
    public string? SqliteFile => Provider == StorageProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    /// <summary>
    /// The configured connection (<c>ConnectionStrings:SweepRunner</c>), else a SQLite file at
    /// <see cref="DefaultSqliteFile"/> under <paramref name="workingDirectory"/>.
    /// </summary>
    public static StorageConnection FromConfiguration(IConfiguration configuration, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(configured)
            ? Parse(Path.Combine(workingDirectory, DefaultSqliteFile), workingDirectory)
            : Parse(configured, workingDirectory);
    }

    /// <summary>
    /// Reads <paramref name="connectionString"/>; a relative SQLite path is taken relative to
    /// <paramref name="workingDirectory"/>. Throws <see cref="StorageConfigurationException"/> when it is malformed.
    /// </summary>
    public static StorageConnection Parse(string connectionString, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString)) throw Malformed("it is empty");
        if (!connectionString.Contains('=', StringComparison.Ordinal)) return Sqlite(new SqliteConnectionStringBuilder { DataSource = connectionString }, workingDirectory);

        var keys = ReadKeys(connectionString);
        if (keys.Contains("host") || keys.Contains("server")) return Postgres(connectionString);
        if (keys.Contains("data source") || keys.Contains("datasource") || keys.Contains("filename"))
            return Sqlite(ReadBuilder(() => new SqliteConnectionStringBuilder(connectionString)), workingDirectory);
        throw Malformed("expected Host=… (PostgreSQL), or Data Source=… or a file path (SQLite)");
    }

    // Not the record's generated form: that would print the connection string, password included.
    public override string ToString() => Description;

    private static StorageConnection Postgres(string connectionString)
    {
        var builder = ReadBuilder(() => new NpgsqlConnectionStringBuilder(connectionString));
        if (string.IsNullOrWhiteSpace(builder.Database)) throw Malformed($"no Database given for the server {builder.Host}:{builder.Port}");
        var user = string.IsNullOrEmpty(builder.Username) ? "" : $", user {builder.Username}";
        return new StorageConnection(StorageProvider.PostgreSql, builder.ConnectionString, $"PostgreSQL at {builder.Host}:{builder.Port}, database {builder.Database}{user}");
    }

    private static StorageConnection Sqlite(SqliteConnectionStringBuilder builder, string workingDirectory)
    {
        if (string.IsNullOrWhiteSpace(builder.DataSource)) throw Malformed("Data Source is empty");
        if (builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase) || builder.Mode == SqliteOpenMode.Memory)
            throw Malformed("an in-memory SQLite database would vanish with its connection; give a file");
        builder.DataSource = Path.GetFullPath(builder.DataSource, workingDirectory);
        return new StorageConnection(StorageProvider.Sqlite, builder.ConnectionString, $"SQLite database {builder.DataSource}");
    }

    private static HashSet<string> ReadKeys(string connectionString)
    {
        var builder = ReadBuilder(() => new DbConnectionStringBuilder { ConnectionString = connectionString });
        return builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    // The builders throw ArgumentException (or a FormatException for a bad number) naming the offending key.
    private static T ReadBuilder<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            throw Malformed(ex.Message);
        }
    }

    private static StorageConfigurationException Malformed(string reason) => new($"connection string: {reason}");
}

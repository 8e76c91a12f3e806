using Microsoft.Extensions.Configuration;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Tests;

public sealed class StorageConnectionTests
{
    private const string WorkingDirectory = "/home/user/project";

    [Theory]
    [InlineData("Host=db.example;Port=5433;Database=sweeps;Username=sweep;Password=hunter2", "PostgreSQL at db.example:5433, database sweeps, user sweep")]
    [InlineData("Server=10.0.0.5;Database=sweeps", "PostgreSQL at 10.0.0.5:5432, database sweeps")]
    [InlineData("Data Source=runs/store.db", "SQLite database /home/user/project/runs/store.db")]
    [InlineData("Data Source=/var/lib/sweeps.db;Cache=Shared", "SQLite database /var/lib/sweeps.db")]
    [InlineData("store.db", "SQLite database /home/user/project/store.db")]
    public void A_connection_string_picks_its_provider_and_is_described_without_secrets(string connectionString, string description)
    {
        var connection = StorageConnection.Parse(connectionString, WorkingDirectory);

        Assert.Equal(description, connection.Description);
        Assert.Equal(description.StartsWith("PostgreSQL", StringComparison.Ordinal) ? StorageProvider.PostgreSql : StorageProvider.Sqlite, connection.Provider);
        Assert.DoesNotContain("hunter2", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "connection string: it is empty")]
    [InlineData("Host=;Database=sweeps", "connection string: expected Host=…")]
    [InlineData("Host=db.example;Password=hunter2", "connection string: no Database given for the server db.example:5432")]
    [InlineData("Host=db.example;Port=abc;Database=sweeps;Password=hunter2", "connection string: ")]
    [InlineData("Host=db.example;Colour=blue;Database=sweeps", "connection string: ")]
    [InlineData("User=me;Password=hunter2", "connection string: expected Host=… (PostgreSQL), or Data Source=… or a file path (SQLite)")]
    [InlineData("Data Source=:memory:", "connection string: an in-memory SQLite database would vanish with its connection; give a file")]
    [InlineData("Host=db.example;Database=sweeps;=oops", "connection string: ")]
    public void A_malformed_connection_string_is_refused_with_the_reason_and_no_password(string connectionString, string expected)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageConnection.Parse(connectionString, WorkingDirectory));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_configuration_the_store_is_a_sqlite_file_under_the_working_directory()
    {
        var connection = StorageConnection.FromConfiguration(new ConfigurationBuilder().Build(), WorkingDirectory);

        Assert.Equal(StorageProvider.Sqlite, connection.Provider);
        Assert.Equal("/home/user/project/.sweeprunner/sweeprunner.db", connection.SqliteFile);
    }

    [Fact]
    public void The_configured_connection_string_is_used()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("ConnectionStrings:SweepRunner", "Host=db.example;Database=sweeps")])
            .Build();

        var connection = StorageConnection.FromConfiguration(configuration, WorkingDirectory);

        Assert.Equal("PostgreSQL at db.example:5432, database sweeps", connection.Description);
        Assert.Null(connection.SqliteFile);
    }
}

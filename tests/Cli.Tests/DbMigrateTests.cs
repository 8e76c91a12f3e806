using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

public sealed class DbMigrateTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_sqlite_store_is_created_and_migrated_then_up_to_date()
    {
        var file = temp.File("store/sweeps.db");

        var first = await Sweep.RunAsync("db", "migrate", "--connection", file);
        var second = await Sweep.RunAsync("db", "migrate", "--connection", $"Data Source={file}");

        Assert.Equal((ExitCodes.Ok, ""), (first.ExitCode, first.Error));
        Assert.Contains($"SQLite database {file}:", first.Output, StringComparison.Ordinal);
        Assert.Matches(@"applied 10 migrations: \d{14}_InitialSchema, \d{14}_BestTrialIndexes, \d{14}_TrialFigures, \d{14}_EpochLatents, \d{14}_SweepSpecCanonical, \d{14}_TrialFailureClasses, \d{14}_ClusterAndRunCap, \d{14}_TrialLogs, \d{14}_SweepTrialTimeout, \d{14}_TrialRequiredTags", first.Output);
        Assert.True(File.Exists(file));
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Contains($"SQLite database {file}: up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_string_comes_from_the_environment_when_not_given()
    {
        // In a process of its own: setting the variable here would reach every test running alongside.
        var file = temp.File("from-environment.db");
        using var migrate = SweepProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__SweepRunner"] = file }, "db", "migrate");

        int exitCode = await migrate.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exitCode == ExitCodes.Ok, migrate.Output);
        Assert.Contains($"SQLite database {file}:", migrate.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task An_unreachable_server_exits_4_naming_host_and_port_but_not_the_password()
    {
        // Port 1 (tcpmux) has no listener on any machine this runs on: the connection is refused at once.
        const int port = 1;

        var result = await Sweep.RunAsync("db", "migrate", "--connection", $"Host=127.0.0.1;Port={port};Database=sweeps;Username=sweep;Password=hunter2");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the PostgreSQL at 127.0.0.1:{port}, database sweeps, user sweep: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at SweepRunner", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("Host=db.example;Port=abc;Database=sweeps;Password=hunter2", "error: connection string: ")]
    [InlineData("User=me;Password=hunter2", "error: connection string: expected Host=… (PostgreSQL), or Data Source=… or a file path (SQLite)")]
    public async Task A_malformed_connection_string_exits_2(string connectionString, string expected)
    {
        var result = await Sweep.RunAsync("db", "migrate", "--connection", connectionString);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orleans_clustering_on_a_sqlite_store_exits_2()
    {
        var file = temp.File("sweeps.db");

        var result = await Sweep.RunAsync("db", "migrate", "--connection", file, "--orleans-clustering");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: Orleans ADO.NET clustering needs PostgreSQL, but the store is the SQLite database {file}", result.Error.Trim());
        Assert.False(File.Exists(file));
    }
}

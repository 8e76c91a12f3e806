using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// Bad cluster and connection configuration (the bad-input catalogue of docs/reliability.md): each exits 2 with a message naming the
/// setting, before the process writes anything to the store.
/// </summary>
public sealed class ClusterBadInputTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_coordinator_advertised_beyond_loopback_with_the_built_in_cluster_ids_exits_2_naming_the_keys()
    {
        string database = await postgres.Server.CreateDatabaseAsync();

        var (exitCode, output) = await RunCoordinatorAsync(database, new Dictionary<string, string> { ["Orleans__ClusterId"] = "own-cluster" }, "--advertise", "192.0.2.10");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(
            "error: the coordinator advertises 192.0.2.10, beyond loopback, with the built-in cluster identity: set Orleans:ServiceId and Orleans:ClusterId (environment Orleans__ServiceId, Orleans__ClusterId) to this deployment's own, the same on its coordinators and workers",
            output, StringComparison.Ordinal);
        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
    }

    [Fact]
    public async Task A_missing_certificate_file_exits_2_naming_the_key_and_the_file()
    {
        string database = await postgres.Server.CreateDatabaseAsync();
        using var temp = new TempDirectory();

        var (exitCode, output) = await RunCoordinatorAsync(database, Tls(temp.File("absent.pfx"), "Orleans__Tls__CertificatePassword", "pw"));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"error: Orleans:Tls:CertificateFile: cannot read {temp.File("absent.pfx")}: ", output, StringComparison.Ordinal);
        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
    }

    [Fact]
    public async Task A_wrong_certificate_password_exits_2_without_echoing_it()
    {
        string database = await postgres.Server.CreateDatabaseAsync();
        using var temp = new TempDirectory();
        string certificate = TestCertificates.WritePfx(temp.File("cluster.pfx"), "right-password-1");

        var (exitCode, output) = await RunCoordinatorAsync(database, Tls(certificate, "Orleans__Tls__CertificatePassword", "wrong-password-2"));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(
            $"error: Orleans:Tls:CertificateFile: {certificate} is not a PKCS#12 certificate that opens with the configured password (Orleans:Tls:CertificatePasswordFile or Orleans:Tls:CertificatePassword)",
            output, StringComparison.Ordinal);
        Assert.DoesNotContain("password-", output, StringComparison.Ordinal);
        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
    }

    [Fact]
    public async Task A_worker_given_the_certificate_password_twice_exits_2()
    {
        string database = await postgres.Server.CreateDatabaseAsync();
        using var temp = new TempDirectory();
        string certificate = TestCertificates.WritePfx(temp.File("cluster.pfx"), "pw");
        await File.WriteAllTextAsync(temp.File("password"), "pw");
        var environment = Tls(certificate, "Orleans__Tls__CertificatePasswordFile", temp.File("password"));
        environment["Orleans__Tls__CertificatePassword"] = "pw";
        environment["ConnectionStrings__SweepRunner"] = database;

        using var worker = SweepProcess.Start(environment, "worker", "--metrics-port", "off");

        Assert.Equal(ExitCodes.BadInput, await worker.WaitForExitAsync(ExitTimeout));
        Assert.Contains(
            "error: the certificate's password is set twice: give Orleans:Tls:CertificatePasswordFile or Orleans:Tls:CertificatePassword, not both",
            worker.Output, StringComparison.Ordinal);
        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("coordinator")]
    public async Task Postgres_and_postgres_file_together_exit_2(string command)
    {
        string database = await postgres.Server.CreateDatabaseAsync();
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("conn"), database);

        var result = await Sweep.RunAsync(command, "--postgres", database, "--postgres-file", temp.File("conn"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("error: give --postgres or --postgres-file, not both", result.Error.Trim());
        Assert.Empty(await PostgresFixture.AppliedMigrationsAsync(database));
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("coordinator")]
    public async Task A_postgres_file_that_cannot_be_read_exits_2_naming_it(string command)
    {
        using var temp = new TempDirectory();

        var result = await Sweep.RunAsync(command, "--postgres-file", temp.File("absent"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"error: --postgres-file: cannot read {temp.File("absent")}: ", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task A_worker_without_any_connection_exits_2_saying_where_to_give_it()
    {
        // The tests' own environment has no ConnectionStrings__SweepRunner.
        Assert.Null(Environment.GetEnvironmentVariable("ConnectionStrings__SweepRunner"));

        var result = await Sweep.RunAsync("worker", "--metrics-port", "off");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            "error: a worker needs the coordinator's PostgreSQL: set ConnectionStrings__SweepRunner or give --postgres-file FILE (or --postgres CONN)",
            result.Error.Trim());
    }

    private static Dictionary<string, string> Tls(string certificate, string passwordKey, string password) => new()
    {
        ["Orleans__Tls__CertificateFile"] = certificate,
        [passwordKey] = password,
    };

    private static async Task<(int ExitCode, string Output)> RunCoordinatorAsync(string database, Dictionary<string, string> environment, params string[] args)
    {
        foreach (var (key, value) in FreePort.CoordinatorPorts()) environment[key] = value;
        using var coordinator = SweepProcess.Start(environment, ["coordinator", "--urls", $"http://127.0.0.1:{FreePort.Pick()}", "--postgres", database, .. args]);
        int exitCode = await coordinator.WaitForExitAsync(ExitTimeout);
        return (exitCode, coordinator.Output);
    }
}

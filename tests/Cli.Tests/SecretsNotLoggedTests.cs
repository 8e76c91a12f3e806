using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// No secret reaches the terminal: a coordinator and a worker with every framework log on (<c>--verbose</c>), a
/// database password, an API token and a certificate password print none of them, starting, joining, or failing.
/// </summary>
public sealed class SecretsNotLoggedTests
{
    private const string DatabasePassword = "Pg-Secret-4711";
    private const string ApiToken = "Api-Token-Secret-0815";
    private const string CertificatePassword = "Tls-Secret-1234";

    private static readonly string[] Secrets = [DatabasePassword, ApiToken, CertificatePassword];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Verbose_coordinator_and_worker_print_no_password_or_token_running_or_failing()
    {
        await using var postgres = await PostgresServer.StartAsync();
        // The test server trusts local logins, so the password is carried everywhere the connection goes and checked nowhere.
        string database = $"{await postgres.CreateDatabaseAsync()};Password={DatabasePassword}";
        using var temp = new TempDirectory();
        string certificate = TestCertificates.WritePfx(temp.File("cluster.pfx"), CertificatePassword);
        var cluster = new Dictionary<string, string>
        {
            ["Orleans__ServiceId"] = "secret-service",
            ["Orleans__ClusterId"] = "secret-cluster",
            ["Orleans__Tls__CertificateFile"] = certificate,
            ["Orleans__Tls__CertificatePassword"] = CertificatePassword,
            ["ConnectionStrings__SweepRunner"] = database,
        };
        var coordinatorEnvironment = new Dictionary<string, string>(cluster.Concat(FreePort.CoordinatorPorts()))
        {
            ["Api__Token"] = ApiToken,
        };

        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--verbose", "--urls", $"http://127.0.0.1:{FreePort.Pick()}");
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        using var worker = SweepProcess.Start(cluster, "worker", "--verbose", "--threads", "1", "--metrics-port", "0");
        await worker.WaitForOutputAsync("joined the cluster", StartTimeout);
        // A login the server refuses: the error names the server and the role, not the connection string.
        string refusedLogin = database.Replace($"Username={PostgresServer.User}", "Username=nobody", StringComparison.Ordinal);
        using var refused = SweepProcess.Start(new Dictionary<string, string>(cluster) { ["ConnectionStrings__SweepRunner"] = refusedLogin }, "worker", "--verbose", "--metrics-port", "off");
        Assert.Equal(ExitCodes.BadInput, await refused.WaitForExitAsync(StartTimeout));
        // A certificate password that does not open the certificate.
        using var wrong = SweepProcess.Start(new Dictionary<string, string>(coordinatorEnvironment) { ["Orleans__Tls__CertificatePassword"] = CertificatePassword + "x" }, "coordinator", "--verbose", "--urls", $"http://127.0.0.1:{FreePort.Pick()}");
        Assert.Equal(ExitCodes.BadInput, await wrong.WaitForExitAsync(StartTimeout));

        Assert.Equal(ExitCodes.Ok, await worker.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
        Assert.Contains("role \"nobody\" does not exist", refused.Output, StringComparison.Ordinal);
        Assert.Contains("is not a PKCS#12 certificate", wrong.Output, StringComparison.Ordinal);
        foreach (var (name, output) in new[] { ("coordinator", coordinator.Output), ("worker", worker.Output), ("refused worker", refused.Output), ("wrong certificate", wrong.Output) })
        {
            foreach (var secret in Secrets)
                Assert.False(output.Contains(secret, StringComparison.Ordinal), $"the {name} printed {secret}:\n{output}");
        }
    }
}

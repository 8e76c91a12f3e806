using System.Net;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// The commands and environment compose and the Kubernetes manifests give <c>migrate</c>, <c>coordinator</c> and
/// <c>worker</c>, run by the real <c>sweep</c> on the test's PostgreSQL (<see cref="LocalMachine"/> says what is mapped):
/// the migration exits 0, the coordinator and then the worker answer /health with 200. Compose runs with the cluster's
/// TLS on (a certificate in its secrets), as deploy/.env.example says to turn it on.
/// </summary>
public sealed class DeployedCommandsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string folder = Directory.CreateTempSubdirectory("sweeprunner-deploy-").FullName;

    public static TheoryData<string> Deployments => ["compose", "kubernetes"];

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task Migrate_then_coordinator_then_worker_get_ready(string deployment)
    {
        var (migrate, coordinator, worker) = deployment == "compose" ? Compose() : Kubernetes();
        var local = new LocalMachine(await postgres.Server.CreateDatabaseAsync(), folder);

        using (var migration = local.Start(migrate))
            Assert.True(await migration.WaitForExitAsync(Patience) == 0, $"migrate failed:\n{migration.Output}");

        using var coordinatorProcess = local.Start(coordinator);
        await ReadyAsync(coordinatorProcess, local.Api);
        using var workerProcess = local.Start(worker);
        await ReadyAsync(workerProcess, local.Metrics);

        Assert.Equal(0, await workerProcess.StopAsync(Patience));
        Assert.Equal(0, await coordinatorProcess.StopAsync(Patience));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (DeployedCommand, DeployedCommand, DeployedCommand) Compose()
    {
        const string password = "compose-tls-password";
        var compose = ComposeFile.Load(new Dictionary<string, string>
        {
            ["SWEEPRUNNER_TLS_CERTIFICATE"] = TestCertificates.WritePfx(Path.Combine(folder, "cluster.pfx"), password),
            ["SWEEPRUNNER_TLS_PASSWORD"] = password,
        });
        return (compose.Command("migrate"), compose.Command("coordinator"), compose.Command("worker"));
    }

    private static (DeployedCommand, DeployedCommand, DeployedCommand) Kubernetes()
    {
        var manifests = KubernetesManifests.Load();
        return (manifests.Command("Job", "migrate", "migrate"), manifests.Command("Deployment", "coordinator", "coordinator"), manifests.Command("Deployment", "worker", "worker"));
    }

    /// <summary>Polls http://127.0.0.1:PORT/health until it answers 200; fails with the output when the process exits or time runs out.</summary>
    private static async Task ReadyAsync(SweepProcess process, int port)
    {
        var health = new Uri($"http://127.0.0.1:{port}/health");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.False(process.HasExited, $"exited before it was ready:\n{process.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"{health} did not answer 200 within {Patience}:\n{process.Output}");
            try
            {
                using var response = await Http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }
            await Task.Delay(250);
        }
    }
}

using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// A coordinator with the cluster's TLS certificate, on a real PostgreSQL: a worker without TLS and one with another
/// certificate never join, one holding the certificate trains the sweep; and a trial whose
/// data set lies outside the worker's dataset roots fails without the folder being opened.
/// </summary>
[Collection(TrainingGroup.Name)]
public sealed class ClusterTlsTests
{
    private const string OneTrial = "name: one\nmethod: grid\nepochs: 1\ntrain_limit: 200\nparameters:\n  model:\n    value: mlp\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Only_a_worker_holding_the_clusters_certificate_joins_and_trains()
    {
        await using var postgres = await PostgresServer.StartAsync();
        string database = await postgres.CreateDatabaseAsync();
        using var temp = new TempDirectory();
        string certificate = TestCertificates.WritePfx(temp.File("cluster.pfx"), "cluster-password");
        string other = TestCertificates.WritePfx(temp.File("other.pfx"), "other-password", "CN=intruder");
        await File.WriteAllTextAsync(temp.File("cluster.password"), "cluster-password\n");
        await File.WriteAllTextAsync(temp.File("postgres.conn"), database + "\n");
        string url = $"http://127.0.0.1:{FreePort.Pick()}";
        var cluster = new Dictionary<string, string>
        {
            ["Orleans__ServiceId"] = "tls-service",
            ["Orleans__ClusterId"] = "tls-cluster",
        };
        var coordinatorEnvironment = new Dictionary<string, string>(cluster.Concat(FreePort.CoordinatorPorts()))
        {
            ["Orleans__Tls__CertificateFile"] = certificate,
            ["Orleans__Tls__CertificatePasswordFile"] = temp.File("cluster.password"),
            ["Coordinator__SweepInterval"] = "00:00:01",
            // The trial outside the dataset roots fails on its first attempt, rather than on its third.
            ["Coordinator__MaxAttempts"] = "1",
        };
        var plainEnvironment = new Dictionary<string, string>(cluster) { ["ConnectionStrings__SweepRunner"] = database };
        var intruderEnvironment = new Dictionary<string, string>(plainEnvironment)
        {
            ["Orleans__Tls__CertificateFile"] = other,
            ["Orleans__Tls__CertificatePassword"] = "other-password",
        };
        var trustedEnvironment = new Dictionary<string, string>(plainEnvironment)
        {
            ["Orleans__Tls__CertificateFile"] = certificate,
            ["Orleans__Tls__CertificatePassword"] = "cluster-password",
        };

        using var coordinator = SweepProcess.Start(coordinatorEnvironment, "coordinator", "--urls", url, "--postgres-file", temp.File("postgres.conn"));
        await coordinator.WaitForOutputAsync("coordinator: API on", StartTimeout);
        using var plain = StartWorker(plainEnvironment, "plain");
        using var intruder = StartWorker(intruderEnvironment, "intruder");

        string outside = Directory.CreateDirectory(temp.File("outside")).FullName;
        await File.WriteAllTextAsync(temp.File("one.yaml"), OneTrial);
        await File.WriteAllTextAsync(temp.File("outside.yaml"), OneTrial.Replace("name: one", $"name: outside\ndataset: {outside}", StringComparison.Ordinal));
        string trained = await SubmitAsync(temp.File("one.yaml"), url);
        string refused = await SubmitAsync(temp.File("outside.yaml"), url);
        using var trusted = StartWorker(trustedEnvironment, "trusted");
        await trusted.WaitForOutputAsync("joined the cluster", StartTimeout);

        using var timeout = new CancellationTokenSource(SweepTimeout);
        var watched = await Sweep.RunAsync(timeout.Token, "watch", trained, "--coordinator", url, "--json");
        Assert.True(watched.ExitCode == ExitCodes.Ok, $"{watched.Error}\ncoordinator:\n{coordinator.Output}\ntrusted:\n{trusted.Output}");
        await Sweep.RunAsync(timeout.Token, "watch", refused, "--coordinator", url, "--json");

        var store = new TrialStore(new SweepDbContextFactory(StorageConnection.Parse(database, temp.Path)), TimeProvider.System);
        var trial = Assert.Single((await store.ListAsync(new TrialQuery(Guid.Parse(trained)))).Trials);
        Assert.Equal((TrialStatus.Completed, "trusted/slot-1"), (trial.Status, trial.Worker));
        var outsideTrial = Assert.Single((await store.ListAsync(new TrialQuery(Guid.Parse(refused)))).Trials);
        Assert.Equal((TrialStatus.Failed, FailureClass.Error), (outsideTrial.Status, outsideTrial.FailureClass));
        Assert.Contains($"{outside}: outside the dataset roots", outsideTrial.FailureReason, StringComparison.Ordinal);

        await plain.WaitForOutputAsync("still joining the coordinator's cluster", StartTimeout);
        await intruder.WaitForOutputAsync("still joining the coordinator's cluster", StartTimeout);
        Assert.DoesNotContain("joined the cluster", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("joined the cluster", intruder.Output, StringComparison.Ordinal);
        Assert.False(plain.HasExited || intruder.HasExited, "workers that cannot join keep trying until stopped");
        Assert.Equal(ExitCodes.Ok, await trusted.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Cancelled, await plain.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Cancelled, await intruder.StopAsync(StopTimeout));
        Assert.Equal(ExitCodes.Ok, await coordinator.StopAsync(StopTimeout));
    }

    private static SweepProcess StartWorker(Dictionary<string, string> environment, string name) =>
        SweepProcess.Start(environment, "worker", "--name", name, "--threads", "1", "--metrics-port", "0");

    private static async Task<string> SubmitAsync(string file, string url)
    {
        var submitted = await Sweep.RunAsync("submit", file, "--coordinator", url, "--json");
        Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.Error);
        return (string)JsonNode.Parse(submitted.Output)!["sweep_id"]!;
    }
}

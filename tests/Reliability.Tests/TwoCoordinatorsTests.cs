using System.Globalization;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;
using Xunit.Abstractions;

namespace SweepRunner.Reliability.Tests;

/// <summary>
/// Two coordinator silos of one cluster; the one hosting the sweep's grain is killed (SIGKILL) mid-sweep: the other
/// takes the grains over and the sweep completes, every trial once, with every epoch.
/// </summary>
[Collection(FaultTests.Name)]
public sealed partial class TwoCoordinatorsTests(ITestOutputHelper output)
{
    private const int Trials = 4;
    private const int Epochs = 4;
    private static readonly TimeSpan FirstEpochTimeout = TimeSpan.FromMinutes(5);
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Killing_the_coordinator_that_hosts_the_sweep_leaves_it_to_the_other_which_completes_every_trial_once()
    {
        await using var cluster = await FaultCluster.StartAsync();
        await cluster.StartCoordinatorAsync();
        var spareApi = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        var spare = await cluster.StartSpareCoordinatorAsync(spareApi);
        await cluster.StartWorkerAsync("worker-a");
        await cluster.StartWorkerAsync("worker-b");
        var sweepId = await cluster.SubmitAsync(FaultTests.MlpSweep("two-silos", Trials, Epochs));

        // Mid-sweep: the silo whose counter moves hosts the sweep's grain (epochs are reported to it).
        var (hostApi, survivorApi) = await WaitForReportsAsync(cluster, spareApi);
        var (host, survivor) = hostApi == cluster.Api ? (cluster.Coordinator!, spare) : (spare, cluster.Coordinator!);
        long before = await EpochsReportedAsync(survivorApi);
        cluster.Kill(host);
        var killedAt = DateTime.UtcNow;
        var recoveredAt = await WaitForAsync(async () => await EpochsReportedAsync(survivorApi) > before, FaultTests.RecoveryBound, "an epoch reported to the surviving coordinator", cluster);
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromMinutes(10));

        output.WriteLine($"killed the {(hostApi == cluster.Api ? "first" : "spare")} coordinator; kill → first epoch reported to the survivor: {(recoveredAt - killedAt).TotalSeconds:F1} s");
        Assert.False(survivor.HasExited, cluster.Output);
        await FaultTestChecks.AssertSweepSurvivedAsync(cluster, sweepId, Trials, Epochs);
    }

    /// <summary>Waits until one of the coordinators has had an epoch reported; returns its API first, the other's second.</summary>
    private static async Task<(Uri Host, Uri Other)> WaitForReportsAsync(FaultCluster cluster, Uri spareApi)
    {
        var (first, second) = (cluster.Api, spareApi);
        Uri? host = null;
        await WaitForAsync(
            async () => (host = await EpochsReportedAsync(first) > 0 ? first : await EpochsReportedAsync(second) > 0 ? second : null) is not null,
            FirstEpochTimeout, "an epoch reported to either coordinator", cluster);
        return host == first ? (first, second) : (second, first);
    }

    private static async Task<DateTime> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, FaultCluster cluster)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout}:\n{cluster.Output}");
            await Task.Delay(200);
        }
        return DateTime.UtcNow;
    }

    /// <summary>The coordinator's <c>sweeprunner_epochs_reported_total</c>, summed over its series.</summary>
    private static async Task<long> EpochsReportedAsync(Uri api) =>
        EpochsReported().Matches(await Http.GetStringAsync(new Uri(api, "metrics")))
            .Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("""^sweeprunner_epochs_reported_total(?:\{[^}]*\})? (\d+)""", RegexOptions.Multiline)]
    private static partial Regex EpochsReported();
}

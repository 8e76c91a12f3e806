using SweepRunner.TestSupport;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// A coordinator that needs its token for reads, scraped by a real Prometheus: with deploy/prometheus/prometheus-token.yml
/// (the token from a file) both the coordinator and the worker its service discovery lists are up; with
/// prometheus.yml, which sends no token, the coordinator is down with 401 and no worker is discovered.
/// </summary>
public sealed class ReadTokenScrapeTests(ReadTokenCluster cluster) : IClassFixture<ReadTokenCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task With_the_token_configuration_the_coordinator_and_the_discovered_worker_are_up()
    {
        var config = cluster.Configure(PrometheusConfig.Load(Path.Combine(PrometheusFiles.Folder, "prometheus-token.yml"))).WithCredentialsFile(cluster.TokenFile);
        await using var prometheus = await PrometheusServer.StartAsync(config);

        var targets = await EventuallyAsync(prometheus, found => found.Count == 2 && found.All(target => target.Health == "up"));

        var byJob = targets.ToDictionary(target => target.Job);
        Assert.Equal(new Uri(cluster.Api, "metrics"), byJob["sweeprunner-coordinator"].ScrapeUrl);
        Assert.Equal(cluster.WorkerMetrics, byJob["sweeprunner-workers"].ScrapeUrl);
    }

    [Fact]
    public async Task Without_the_token_the_coordinator_is_down_with_401_and_no_worker_is_discovered()
    {
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Configure(PrometheusConfig.LoadShipped()));

        var targets = await EventuallyAsync(prometheus, found => found.Any(target => target.Health == "down"));

        var coordinator = Assert.Single(targets);
        Assert.Equal("sweeprunner-coordinator", coordinator.Job);
        Assert.Contains("401", coordinator.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_configuration_is_the_shipped_one_plus_the_authorization_blocks()
    {
        var plain = Load("prometheus.yml");
        var withToken = Load("prometheus-token.yml");

        int removed = RemoveAuthorizations(withToken);

        Assert.Equal(2, removed);
        Assert.Equal(Yaml(plain), Yaml(withToken));
    }

    private async Task<IReadOnlyList<PrometheusTarget>> EventuallyAsync(PrometheusServer prometheus, Func<IReadOnlyList<PrometheusTarget>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyList<PrometheusTarget> targets = [];
        while (!condition(targets = await prometheus.TargetsAsync()))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"targets: {string.Join("; ", targets)}\nPrometheus' log:\n{prometheus.Log}\n{cluster.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        return targets;
    }

    private static YamlNode Load(string name)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(PrometheusFiles.Folder, name))) stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    private static int RemoveAuthorizations(YamlNode node) => node switch
    {
        YamlMappingNode mapping => (mapping.Children.Remove(new YamlScalarNode("authorization")) ? 1 : 0) + mapping.Children.Values.Sum(RemoveAuthorizations),
        YamlSequenceNode sequence => sequence.Children.Sum(RemoveAuthorizations),
        _ => 0,
    };

    private static string Yaml(YamlNode node)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.TestSupport;

/// <summary>
/// A Prometheus configuration to run in a test, made from a shipped one (deploy/prometheus/prometheus.yml) with its
/// addresses replaced: load it, point its jobs at the processes under test, shorten its intervals, write it out.
/// Read as a YAML node tree (no object mapping); the rule files it names are made absolute, so that the written copy
/// still loads the shipped rules from wherever it is written.
/// </summary>
public sealed class PrometheusConfig
{
    private const string ShippedPath = "deploy/prometheus/prometheus.yml";

    private readonly string source;
    private readonly YamlMappingNode root;

    private PrometheusConfig(string source, YamlMappingNode root)
    {
        this.source = source;
        this.root = root;
    }

    /// <summary>The repository's deploy/prometheus/prometheus.yml.</summary>
    public static PrometheusConfig LoadShipped() => Load(RepositoryFiles.Find(ShippedPath));

    /// <summary>Reads the configuration file at <paramref name="path"/>.</summary>
    public static PrometheusConfig Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{path}: expected one YAML document holding a mapping");

        var config = new PrometheusConfig(path, root);
        config.MakeRuleFilesAbsolute(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return config;
    }

    /// <summary>
    /// Scrapes, evaluates rules and refreshes service discovery every <paramref name="interval"/> (tests: 1 s, so that
    /// samples arrive without waiting long).
    /// </summary>
    public PrometheusConfig WithInterval(TimeSpan interval)
    {
        var duration = new YamlScalarNode(Duration(interval));
        var global = Global();
        global.Children[new YamlScalarNode("scrape_interval")] = duration;
        global.Children[new YamlScalarNode("evaluation_interval")] = duration;
        foreach (var job in ScrapeConfigs())
        {
            foreach (var discovery in Sequence(job, "http_sd_configs").OfType<YamlMappingNode>())
                discovery.Children[new YamlScalarNode("refresh_interval")] = duration;
        }
        return this;
    }

    /// <summary>Replaces the static targets of <paramref name="job"/> by <paramref name="targets"/> (host:port each).</summary>
    public PrometheusConfig WithStaticTargets(string job, params IEnumerable<string> targets)
    {
        var scrapeConfig = Job(job);
        if (Sequence(scrapeConfig, "static_configs").Children.Count == 0) throw new InvalidOperationException($"{source}: job {job} has no static_configs");
        var staticConfig = new YamlMappingNode
        {
            { "targets", new YamlSequenceNode(targets.Select(target => new YamlScalarNode(target))) },
        };
        scrapeConfig.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(staticConfig);
        return this;
    }

    /// <summary>Makes <paramref name="job"/> discover its targets from <paramref name="url"/> (its HTTP service discovery URL).</summary>
    public PrometheusConfig WithServiceDiscoveryUrl(string job, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var discoveries = Sequence(Job(job), "http_sd_configs").OfType<YamlMappingNode>().ToList();
        if (discoveries.Count != 1) throw new InvalidOperationException($"{source}: job {job} has {discoveries.Count} http_sd_configs, expected 1");
        discoveries[0].Children[new YamlScalarNode("url")] = new YamlScalarNode(url.AbsoluteUri);
        return this;
    }

    /// <summary>
    /// Points every <c>authorization.credentials_file</c> (of a job's scrapes and of its service discovery) at
    /// <paramref name="file"/>, a token file the test wrote; throws when the configuration has none.
    /// </summary>
    public PrometheusConfig WithCredentialsFile(string file)
    {
        var authorizations = Descendants(root)
            .Select(mapping => mapping.Children.TryGetValue(new YamlScalarNode("authorization"), out var node) ? node as YamlMappingNode : null)
            .OfType<YamlMappingNode>()
            .Where(authorization => authorization.Children.ContainsKey(new YamlScalarNode("credentials_file")))
            .ToList();
        if (authorizations.Count == 0) throw new InvalidOperationException($"{source}: no authorization has a credentials_file");
        foreach (var authorization in authorizations) authorization.Children[new YamlScalarNode("credentials_file")] = new YamlScalarNode(file);
        return this;
    }

    /// <summary>The configuration as YAML text.</summary>
    public string ToYaml()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>Writes the configuration to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToYaml());

    private void MakeRuleFilesAbsolute(string folder)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("rule_files"), out var node)) return;
        if (node is not YamlSequenceNode ruleFiles) throw new InvalidDataException($"{source}: rule_files is not a list");
        root.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(
            ruleFiles.Children.Select(file => file is YamlScalarNode { Value: { } pattern }
                ? new YamlScalarNode(Path.GetFullPath(Path.Combine(folder, pattern)))
                : throw new InvalidDataException($"{source}: a rule_files entry is not a path")));
    }

    private static IEnumerable<YamlMappingNode> Descendants(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Descendants).Prepend(mapping),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Descendants),
        _ => [],
    };

    private IEnumerable<YamlMappingNode> ScrapeConfigs() => Sequence(root, "scrape_configs").OfType<YamlMappingNode>();

    private YamlMappingNode Job(string job) =>
        ScrapeConfigs().FirstOrDefault(config => config.Children.TryGetValue(new YamlScalarNode("job_name"), out var name) && name is YamlScalarNode { Value: var value } && value == job)
        ?? throw new InvalidOperationException($"{source}: no scrape config has job_name {job}");

    private YamlSequenceNode Sequence(YamlMappingNode mapping, string key) =>
        !mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? new YamlSequenceNode()
        : node as YamlSequenceNode ?? throw new InvalidDataException($"{source}: {key} is not a list");

    private YamlMappingNode Global()
    {
        if (root.Children.TryGetValue(new YamlScalarNode("global"), out var node))
            return node as YamlMappingNode ?? throw new InvalidDataException($"{source}: global is not a mapping");
        var global = new YamlMappingNode();
        root.Children[new YamlScalarNode("global")] = global;
        return global;
    }

    // Prometheus durations: whole seconds as "5s", anything finer in milliseconds.
    private static string Duration(TimeSpan interval) =>
        interval.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)interval.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)interval.TotalMilliseconds}ms");
}

using System.Text.Json.Nodes;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Deploy.Tests.LocalCluster;

/// <summary>
/// <c>scripts/cluster.sh plan</c> runs what deploy/compose.yaml says for migrate, coordinator and worker, after the
/// mapping docs/deploy.md documents ("A local cluster without Docker"), which this test applies on its own: host names
/// and 0.0.0.0 to 127.0.0.1, container ports to the plan's local ports, ${VARIABLES} to the cluster folder's secrets
/// and variables, container paths under mounts/SERVICE, /app/sweep to the sweep program; no TLS.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class LocalClusterPlanTests
{
    private const string Loopback = "127.0.0.1";

    [Fact]
    public async Task Plan_runs_the_commands_and_environment_of_compose_for_migrate_coordinator_and_workers()
    {
        await using var cluster = ClusterScript.Create();
        var result = await cluster.RunAsync("plan", "--json", "--workers", "2");
        Assert.True(result.ExitCode == 0, result.Output);
        var plan = JsonNode.Parse(result.Output)!;
        var compose = LoadCompose();
        var mapping = new Mapping(cluster.Folder, compose, plan);

        string[] checkedProcesses = ["migrate", "coordinator", "worker-1", "worker-2"];
        foreach (string name in checkedProcesses)
        {
            var process = plan["processes"]!.AsArray().Single(process => (string?)process!["name"] == name)!;
            string service = (string)process["service"]!;
            var steps = process["steps"]!.AsArray();
            Assert.Single(steps);
            Assert.Equal(mapping.Command(service, process), steps[0]!.AsArray().Select(word => (string)word!));
            var environment = process["environment"]!.AsObject().ToDictionary(pair => pair.Key, pair => (string)pair.Value!);
            Assert.Equal(mapping.Environment(service, process), environment);
            Assert.All(environment.Values.Where(value => value.StartsWith(cluster.Folder, StringComparison.Ordinal)),
                path => Assert.True(File.Exists(path) || Directory.Exists(path), $"{name}: {path} does not lead to a file"));
        }
        Assert.NotEqual(Port(plan, "worker-1", 9464), Port(plan, "worker-2", 9464));
    }

    private static int Port(JsonNode plan, string process, int containerPort) =>
        (int)plan["processes"]!.AsArray().Single(entry => (string?)entry!["name"] == process)!["ports"]![containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;

    private static YamlMappingNode LoadCompose() => YamlTree.Load(RepositoryFiles.Find("deploy/compose.yaml"));

    // A mapping's entries as compose reads them: its own, then those of its merge key (<<: *anchor, or a list of them)
    // it does not set itself.
    private static Dictionary<string, YamlNode> Entries(YamlNode node)
    {
        var mapping = (YamlMappingNode)node;
        var entries = mapping.Children
            .Where(pair => ((YamlScalarNode)pair.Key).Value != "<<")
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => pair.Value);
        if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged))
        {
            foreach (var source in merged is YamlSequenceNode list ? list.Children : [merged])
            {
                foreach (var (key, value) in Entries(source)) entries.TryAdd(key, value);
            }
        }
        return entries;
    }

    /// <summary>The documented mapping, applied to compose's words and values.</summary>
    private sealed partial class Mapping(string folder, YamlMappingNode compose, JsonNode plan)
    {
        private readonly YamlMappingNode services = (YamlMappingNode)compose["services"];

        public List<string> Command(string service, JsonNode process)
        {
            var words = ((YamlSequenceNode)Entries(Service(service))["command"]).Children.Select(word => ((YamlScalarNode)word).Value!).ToList();
            var mapped = new List<string> { (string)plan["sweep"]! };
            for (int i = 0; i < words.Count; i++)
            {
                bool optionValue = i > 0 && words[i - 1].StartsWith("--", StringComparison.Ordinal);
                mapped.Add(optionValue && IsService(words[i]) ? Loopback : Ports(words[i], process));
            }
            return mapped;
        }

        public Dictionary<string, string> Environment(string service, JsonNode process)
        {
            var expected = new Dictionary<string, string>();
            foreach (var (name, value) in Entries(Entries(Service(service))["environment"]))
            {
                if (name.StartsWith("Orleans__Tls__", StringComparison.Ordinal)) continue; // No TLS locally.
                string text = Interpolate(((YamlScalarNode)value).Value!);
                text = ConnectionHost().Replace(text, match => IsService(match.Groups["host"].Value) ? $"Host={Loopback};Port={plan["postgres"]!["port"]}" : match.Value);
                text = text == "0.0.0.0" ? Loopback : Ports(text, process);
                expected[name] = text.StartsWith('/') ? Path.Combine(folder, "mounts", service, text.TrimStart('/')) : text;
            }
            if (service == "coordinator")
            {
                expected["Orleans__SiloPort"] = Local(process, 11111);
                expected["Orleans__GatewayPort"] = Local(process, 30000);
            }
            return expected;
        }

        private YamlMappingNode Service(string name) => (YamlMappingNode)services[name];

        private bool IsService(string word) => services.Children.ContainsKey(new YamlScalarNode(word));

        // 0.0.0.0:PORT and a container port alone: the process' local port.
        private static string Ports(string word, JsonNode process)
        {
            if (process["ports"]![word] is not null) return Local(process, int.Parse(word, System.Globalization.CultureInfo.InvariantCulture));
            return AnyAddress().Replace(word, match => $"{Loopback}:{Local(process, int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture))}");
        }

        private static string Local(JsonNode process, int containerPort) =>
            ((int)process["ports"]![containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]!).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // ${NAME…}: a secret's variable from its file under secrets/, any other from variables.env.
        private string Interpolate(string text) => Variable().Replace(text, match =>
        {
            string name = match.Groups["name"].Value;
            var secret = ((YamlMappingNode)compose["secrets"]).Children.FirstOrDefault(pair =>
                pair.Value is YamlMappingNode spec && spec.Children.TryGetValue(new YamlScalarNode("environment"), out var variable) && ((YamlScalarNode)variable).Value == name);
            if (secret.Key is YamlScalarNode file) return File.ReadAllText(Path.Combine(folder, "secrets", file.Value!));
            var line = File.ReadAllLines(Path.Combine(folder, "variables.env")).Single(line => line.StartsWith(name + "=", StringComparison.Ordinal));
            return line[(name.Length + 1)..];
        });

        [GeneratedRegex(@"\$\{(?<name>\w+)[^}]*\}")]
        private static partial Regex Variable();

        [GeneratedRegex(@"Host=(?<host>[\w.-]+)")]
        private static partial Regex ConnectionHost();

        [GeneratedRegex(@"0\.0\.0\.0:(?<port>\d+)")]
        private static partial Regex AnyAddress();
    }
}

using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static SweepRunner.Deploy.Tests.YamlTree;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// deploy/compose.yaml as docker compose reads it: merge keys resolved, <c>${…}</c> interpolated from the variables of
/// an .env file (deploy/.env.example unless told otherwise), secrets mounted at /run/secrets/NAME.
/// </summary>
public sealed partial class ComposeFile
{
    public const string Path = "compose.yaml";
    public const string EnvExample = ".env.example";
    private const string SecretsFolder = "/run/secrets/";

    private readonly IReadOnlyDictionary<string, string> variables;

    private ComposeFile(YamlMappingNode root, IReadOnlyDictionary<string, string> variables) => (Root, this.variables) = (root, variables);

    public YamlMappingNode Root { get; }

    /// <summary>Compose's file with deploy/.env.example's variables, <paramref name="overrides"/> replacing some.</summary>
    public static ComposeFile Load(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var variables = ReadEnvFile(DeployFolder.File(EnvExample));
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>()) variables[name] = value;
        return new(LoadDocuments(DeployFolder.File(Path)).Single(), variables);
    }

    public YamlMappingNode Service(string name) =>
        Mapping(Mapping(Root, "services"), name) is { Children.Count: > 0 } service ? service : throw new KeyNotFoundException($"compose.yaml has no service {name}");

    public IEnumerable<string> ServiceNames => Mapping(Root, "services").Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

    /// <summary>The command, environment and secrets compose gives <paramref name="service"/>.</summary>
    public DeployedCommand Command(string service)
    {
        var node = Service(service);
        var environment = Mapping(node, "environment").Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!, entry => Interpolate(((YamlScalarNode)entry.Value).Value ?? ""));
        var files = Scalars(node, "secrets").ToDictionary(secret => SecretsFolder + secret, SecretContent);
        return new(service, [.. Scalars(node, "command").Select(Interpolate)], environment, files);
    }

    /// <summary>The content of the top-level secret <paramref name="name"/>: a variable's value, or a file's (relative to deploy/).</summary>
    public byte[] SecretContent(string name)
    {
        var secret = Mapping(Mapping(Root, "secrets"), name);
        string variable = Scalar(secret, "environment");
        if (variable.Length > 0) return Encoding.UTF8.GetBytes(variables.GetValueOrDefault(variable, ""));
        return File.ReadAllBytes(DeployFolder.File(Interpolate(Scalar(secret, "file"))));
    }

    /// <summary>
    /// <paramref name="text"/> with compose's interpolation: <c>${X}</c>, <c>${X:-default}</c>, <c>${X:?error}</c>,
    /// <c>${X:+replacement}</c>, and <c>$$</c> for a dollar sign.
    /// </summary>
    public string Interpolate(string text) => Reference().Replace(text, match =>
    {
        if (match.Value == "$$") return "$";
        string value = variables.GetValueOrDefault(match.Groups["name"].Value, "");
        string argument = match.Groups["argument"].Value;
        return match.Groups["operator"].Value switch
        {
            ":-" => value.Length > 0 ? value : argument,
            ":?" => value.Length > 0 ? value : throw new InvalidOperationException($"compose: {argument}"),
            ":+" => value.Length > 0 ? argument : "",
            _ => value,
        };
    });

    /// <summary>KEY=VALUE lines, as compose reads an .env file (comments and blank lines skipped).</summary>
    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1].Trim() : "");

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<operator>:[-?+])(?<argument>[^}]*))?\}")]
    private static partial Regex Reference();
}

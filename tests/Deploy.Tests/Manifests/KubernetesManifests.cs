using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static SweepRunner.Deploy.Tests.YamlTree;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// The plain manifests of deploy/k8s (every file its kustomization.yaml lists, folders followed) as the kubelet would
/// start their containers: environment from values, the downward API and the secret template
/// (k8s/secrets.template.yaml), <c>$(VAR)</c> expanded, secret volumes mounted.
/// </summary>
public sealed partial class KubernetesManifests
{
    public const string Folder = "k8s";
    public const string SecretTemplate = "k8s/secrets.template.yaml";

    /// <summary>The pods' address and namespace, as the downward API gives them.</summary>
    public const string PodIp = "10.1.2.3";
    public const string Namespace = "sweeprunner";

    private KubernetesManifests(IReadOnlyList<(string File, YamlMappingNode Resource)> resources) => Resources = resources;

    /// <summary>Each object with the file it is in.</summary>
    public IReadOnlyList<(string File, YamlMappingNode Resource)> Resources { get; }

    public static KubernetesManifests Load() => new([.. KustomizationFiles(DeployFolder.File(Folder)).Distinct().SelectMany(file => LoadDocuments(file).Select(document => (file, document)))]);

    /// <summary>The files a kustomization's <c>resources</c> name, folders' kustomizations followed.</summary>
    public static IEnumerable<string> KustomizationFiles(string folder)
    {
        foreach (string resource in Scalars(YamlTree.Load(Path.Combine(folder, "kustomization.yaml")), "resources"))
        {
            string path = Path.GetFullPath(Path.Combine(folder, resource));
            if (Directory.Exists(path))
                foreach (string file in KustomizationFiles(path)) yield return file;
            else
                yield return path;
        }
    }

    public YamlMappingNode Resource(string kind, string name) =>
        Resources.Select(entry => entry.Resource).SingleOrDefault(o => Scalar(o, "kind") == kind && Scalar(o, "metadata", "name") == name)
        ?? throw new KeyNotFoundException($"deploy/k8s has no {kind} {name}");

    /// <summary>The pod template of a Deployment, StatefulSet or Job.</summary>
    public YamlMappingNode PodTemplate(string kind, string name) => Mapping(Mapping(Resource(kind, name), "spec"), "template");

    /// <summary>The arguments, environment and secret files the kubelet gives container <paramref name="container"/> (or init container).</summary>
    public DeployedCommand Command(string kind, string name, string container)
    {
        var template = PodTemplate(kind, name);
        var pod = Mapping(template, "spec");
        var node = Sequence(pod, "containers").Concat(Sequence(pod, "initContainers")).Single(c => Scalar(c, "name") == container);
        var environment = new Dictionary<string, string>();
        foreach (var variable in Sequence(node, "env"))
            environment[Scalar(variable, "name")] = Mapping(variable, "valueFrom") is { Children.Count: > 0 } valueFrom
                ? ValueFrom(template, valueFrom)
                : Expand(Scalar(variable, "value"), environment);
        return new($"{name}/{container}", [.. Scalars(node, "args").Select(arg => Expand(arg, environment))], environment, SecretFiles(pod, node));
    }

    /// <summary>A value from the downward API or a secret.</summary>
    private static string ValueFrom(YamlMappingNode template, YamlMappingNode valueFrom)
    {
        string field = Scalar(valueFrom, "fieldRef", "fieldPath");
        if (LabelField().Match(field) is { Success: true } label) return Scalar(Mapping(template, "metadata"), "labels", label.Groups["key"].Value);
        return field switch
        {
            "metadata.name" => "pod-0",
            "metadata.namespace" => Namespace,
            "status.podIP" => PodIp,
            "" => Encoding.UTF8.GetString(SecretValue(Scalar(valueFrom, "secretKeyRef", "name"), Scalar(valueFrom, "secretKeyRef", "key"))),
            _ => throw new NotSupportedException($"downward API field {field}"),
        };
    }

    /// <summary>The files of the secret volumes <paramref name="container"/> mounts, by their paths in the container.</summary>
    private static Dictionary<string, byte[]> SecretFiles(YamlMappingNode pod, YamlMappingNode container)
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var mount in Sequence(container, "volumeMounts"))
        {
            var volume = Sequence(pod, "volumes").Single(v => Scalar(v, "name") == Scalar(mount, "name"));
            string secret = Scalar(volume, "secret", "secretName");
            if (secret.Length == 0) continue;
            string path = Scalar(mount, "mountPath"), subPath = Scalar(mount, "subPath");
            if (subPath.Length > 0)
                files[path] = SecretValue(secret, subPath);
            else
                foreach (string key in SecretKeys(secret)) files[$"{path}/{key}"] = SecretValue(secret, key);
        }
        return files;
    }

    /// <summary>A key of a Secret in the template the deployment fills in.</summary>
    public static byte[] SecretValue(string secret, string key) =>
        Scalar(SecretTemplateObject(secret), "stringData", key) is { Length: > 0 } value
            ? Encoding.UTF8.GetBytes(value)
            : throw new KeyNotFoundException($"{SecretTemplate}: secret {secret} has no key {key}");

    private static IEnumerable<string> SecretKeys(string secret) =>
        Mapping(SecretTemplateObject(secret), "stringData").Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

    private static YamlMappingNode SecretTemplateObject(string secret) =>
        LoadDocuments(DeployFolder.File(SecretTemplate)).Single(o => Scalar(o, "kind") == "Secret" && Scalar(o, "metadata", "name") == secret);

    /// <summary><c>$(VAR)</c> of the variables defined before, as Kubernetes expands them; <c>$$</c> is a dollar sign.</summary>
    private static string Expand(string text, Dictionary<string, string> defined) =>
        VariableReference().Replace(text, match => match.Value == "$$" ? "$"
            : defined.TryGetValue(match.Groups["name"].Value, out var value) ? value : match.Value);

    [GeneratedRegex(@"^metadata\.labels\['(?<key>[^']+)'\]$")]
    private static partial Regex LabelField();

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}

using YamlDotNet.RepresentationModel;

namespace SweepRunner.Deploy.Tests;

/// <summary>Reads the deploy files' YAML as node trees (no object mapping): the one document, lists and scalars by key.</summary>
public static class YamlTree
{
    /// <summary>The root mapping of the YAML file at <paramref name="path"/>.</summary>
    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new InvalidDataException($"{path}: expected one YAML document holding a mapping");
    }

    /// <summary>
    /// The root mapping of every document in the YAML file at <paramref name="path"/> (Kubernetes manifests hold several),
    /// merge keys (<c>&lt;&lt;: *anchor</c>, as compose files use them) resolved.
    /// </summary>
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return [.. stream.Documents.Select(document => WithMerges(document.RootNode) as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a YAML document that is not a mapping"))];
    }

    private static readonly YamlScalarNode MergeKey = new("<<");

    /// <summary>
    /// <paramref name="node"/> with its merge keys resolved as YAML 1.1 says: the merged mappings' entries (the first
    /// of a list winning), then the mapping's own, which replace them.
    /// </summary>
    private static YamlNode WithMerges(YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                return new YamlSequenceNode(sequence.Children.Select(WithMerges));
            case YamlMappingNode mapping:
                var merged = new Dictionary<YamlNode, YamlNode>();
                if (mapping.Children.TryGetValue(MergeKey, out var sources))
                {
                    var listed = sources is YamlSequenceNode list ? list.Children : [sources];
                    foreach (var source in listed.Reverse().Select(WithMerges).Cast<YamlMappingNode>())
                        foreach (var (key, value) in source.Children) merged[key] = value;
                }
                foreach (var (key, value) in mapping.Children.Where(entry => !entry.Key.Equals(MergeKey))) merged[key] = WithMerges(value);
                return new YamlMappingNode(merged);
            default:
                return node;
        }
    }

    /// <summary>The mapping under <paramref name="key"/>; an empty one when the key is absent.</summary>
    public static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode mapping ? mapping : new YamlMappingNode();

    /// <summary>The scalars listed under <paramref name="key"/>; none when the key is absent.</summary>
    public static IReadOnlyList<string> Scalars(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlScalarNode>().Select(scalar => scalar.Value ?? "")]
            : [];

    /// <summary>The mappings listed under <paramref name="key"/>; none when the key is absent.</summary>
    public static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
            : [];

    /// <summary>The scalar at <paramref name="path"/> (keys of nested mappings); "" when any is absent.</summary>
    public static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next)) return "";
            current = next;
        }
        return (current as YamlScalarNode)?.Value ?? "";
    }
}

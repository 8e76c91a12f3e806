using YamlDotNet.Core;
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
        using (var reader = new StreamReader(path)) stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(document => document.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a YAML document that is not a mapping"))];
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

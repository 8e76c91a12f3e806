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

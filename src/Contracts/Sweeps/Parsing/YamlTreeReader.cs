using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>
/// Builds the <see cref="SpecNode"/> tree of a one-document YAML file from YamlDotNet's event stream, so that no type
/// is ever resolved from the YAML itself. Refuses what a sweep has no use for and an attacker has: anchors and aliases
/// (a few hundred bytes of them expand to gigabytes), explicit tags other than the core schema's on scalars
/// (<c>!!python/object</c>; <see cref="CoreTag"/>), nesting beyond <see cref="MaxDepth"/>; and reports duplicate keys,
/// which a dictionary would silently collapse.
/// </summary>
internal sealed class YamlTreeReader
{
    public const int MaxDepth = 32;

    private readonly Parser parser;
    private readonly NodeReader reader;

    // The key path being read, for a syntax error that YamlDotNet reports mid-way.
    private string currentPath = "";

    private YamlTreeReader(string text, NodeReader reader)
    {
        parser = new Parser(new StringReader(text));
        this.reader = reader;
    }

    /// <summary>The document's root, or null if the file is empty or not YAML; problems go to <paramref name="reader"/>.</summary>
    public static SpecNode? Read(string text, NodeReader reader)
    {
        var tree = new YamlTreeReader(text, reader);
        try
        {
            return tree.ReadDocument();
        }
        catch (YamlException exception)
        {
            if (!ReportTabIndentation(text, reader))
            {
                reader.Error(ToMark(exception.Start), tree.currentPath, $"malformed YAML: {exception.Message}");
            }

            return null;
        }
    }

    private static SourceMark ToMark(Mark mark) => new((int)mark.Line, (int)mark.Column);

    // YamlDotNet's message for a tab in indentation points at the start of the enclosing block, not at the tab.
    private static bool ReportTabIndentation(string text, NodeReader reader)
    {
        bool found = false;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int indentation = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            int tab = lines[i].IndexOf('\t', 0, indentation);
            if (tab < 0) continue;
            reader.Error(new SourceMark(i + 1, tab + 1), "", "a tab in the indentation; YAML indents with spaces only");
            found = true;
        }

        return found;
    }

    private SpecNode? ReadDocument()
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out var end))
        {
            reader.Error(ToMark(end.Start), "", "the file is empty; expected a mapping with `method` and `parameters`");
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode("", depth: 0);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            reader.Error(ToMark(second.Start), "", "a second YAML document; a sweep file holds exactly one");
        }

        return root;
    }

    private SpecNode ReadNode(string path, int depth)
    {
        currentPath = path;
        var start = parser.Current ?? throw new InvalidOperationException("the event stream ended inside a document");
        var mark = ToMark(start.Start);
        if (start is AnchorAlias alias)
        {
            parser.MoveNext();
            reader.Error(mark, path, $"alias *{alias.Value} refused: YAML anchors and aliases are not supported (they let a small file expand without bound); write the value out");
            return new ScalarNode("", IsPlain: true, mark);
        }

        var node = (NodeEvent)start;
        if (!node.Anchor.IsEmpty)
        {
            reader.Error(mark, path, $"anchor &{node.Anchor} refused: YAML anchors and aliases are not supported (they let a small file expand without bound); write the value out");
        }

        CoreTag? coreTag = node.Tag.IsEmpty ? null : CoreTags.Parse(node.Tag.Value);
        if (!node.Tag.IsEmpty && (coreTag is null || node is not Scalar))
        {
            reader.Error(mark, path, $"tag {CoreTags.Shorthand(node.Tag.Value)} refused: only the core-schema tags !!str, !!int, !!float, !!bool and !!null are supported, on scalars; quote a value to make it a string");
            coreTag = null;
        }

        if (depth >= MaxDepth && node is not Scalar)
        {
            reader.Error(mark, path, $"nested more than {MaxDepth} levels deep");
            parser.SkipThisAndNestedEvents();
            return new ScalarNode("", IsPlain: true, mark);
        }

        parser.MoveNext();
        return node switch
        {
            Scalar scalar => ReadScalar(scalar, coreTag, path, mark),
            SequenceStart => ReadSequence(path, depth, mark),
            _ => ReadMapping(path, depth, mark),
        };
    }

    // A tagged scalar whose text is not what its tag says (`!!int 1.5`) is an error; it is then read untagged.
    private ScalarNode ReadScalar(Scalar scalar, CoreTag? tag, string path, SourceMark mark)
    {
        bool plain = scalar.Style == ScalarStyle.Plain;
        if (tag is { } core && !ScalarNode.Fits(scalar.Value, core))
        {
            var written = new ScalarNode(scalar.Value, plain, mark);
            reader.Error(mark, path, $"tag {CoreTags.Shorthand(core)}: expected {CoreTags.Expected(core)}, found {written.Description}");
            return written;
        }

        return new ScalarNode(scalar.Value, plain, mark, tag);
    }

    private SequenceNode ReadSequence(string path, int depth, SourceMark mark)
    {
        var items = new List<SpecNode>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(NodeReader.Index(path, items.Count), depth + 1));
        }

        return new SequenceNode(items, mark);
    }

    private MappingNode ReadMapping(string path, int depth, SourceMark mark)
    {
        var entries = new List<MappingEntry>();
        var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(path, depth + 1);
            var value = ReadNode(key is ScalarNode named ? NodeReader.Join(path, named.Text) : path, depth + 1);
            if (key is not ScalarNode { IsNull: false, Text.Length: > 0 } scalarKey)
            {
                reader.Error(key, path, $"expected a key (a name), found {key.Description}");
            }
            else if (seen.TryGetValue(scalarKey.Text, out var first))
            {
                reader.Error(key, NodeReader.Join(path, scalarKey.Text), $"duplicate key `{scalarKey.Text}` (first at line {first.Mark.Line}, column {first.Mark.Column})");
            }
            else
            {
                seen.Add(scalarKey.Text, scalarKey);
                entries.Add(new MappingEntry(scalarKey, value));
            }
        }

        return new MappingNode(entries, mark);
    }
}

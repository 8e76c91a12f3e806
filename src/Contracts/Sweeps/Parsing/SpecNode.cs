namespace SweepRunner.Contracts.Sweeps.Parsing;

/// <summary>1-based line and column of a node in the sweep file.</summary>
internal readonly record struct SourceMark(int Line, int Column);

/// <summary>A node of the YAML document, with where it starts; built by <see cref="YamlTreeReader"/>.</summary>
internal abstract record SpecNode(SourceMark Mark)
{
    /// <summary>How a message names what was found here: the scalar as written, or "a mapping"/"a list".</summary>
    public abstract string Description { get; }
}

internal sealed record MappingNode(IReadOnlyList<MappingEntry> Entries, SourceMark Mark) : SpecNode(Mark)
{
    public override string Description => Entries.Count == 0 ? "an empty mapping" : "a mapping";
}

internal sealed record MappingEntry(ScalarNode Key, SpecNode Value)
{
    public string Name => Key.Text;
}

internal sealed record SequenceNode(IReadOnlyList<SpecNode> Items, SourceMark Mark) : SpecNode(Mark)
{
    public override string Description => Items.Count == 0 ? "an empty list" : "a list";
}

using System.Text;
using SweepRunner.Contracts.Sweeps.Parsing;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// Reads a sweep file in W&amp;B's sweep format (the subset docs/sweep-format.md describes) into a <see cref="SweepSpec"/>.
/// The YAML is read as a plain tree of mappings, lists and strings and mapped by hand: no type is ever created from it.
/// </summary>
public static class SweepSpecParser
{
    /// <summary>Largest sweep file read: 1 MiB.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The spec and the notices about it.</summary>
    /// <param name="fileName">How errors name the file.</param>
    /// <exception cref="SweepSpecException">Every problem found, each with file, line, column and key path.</exception>
    public static ParsedSweepSpec Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        int bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > MaxFileBytes) throw TooLarge(fileName, bytes);

        var reader = new NodeReader(fileName);
        var root = YamlTreeReader.Read(yaml, reader);
        // Problems of the YAML itself (syntax, aliases, tags, duplicate keys) make its meaning unreliable: stop there.
        var spec = root is not null && reader.Errors.Count == 0 ? new SweepDocumentReader(reader).Read(root) : null;
        if (spec is null) throw new SweepSpecException([.. reader.Errors.OrderBy(error => error.Line).ThenBy(error => error.Column)]);
        return new ParsedSweepSpec(spec, reader.Notices);
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>, refusing one over <see cref="MaxFileBytes"/> before reading it.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="SweepSpecException">Every problem found.</exception>
    public static ParsedSweepSpec ParseFile(string path)
    {
        long bytes = new FileInfo(path).Length;
        if (bytes > MaxFileBytes) throw TooLarge(path, bytes);
        return Parse(File.ReadAllText(path), path);
    }

    private static SweepSpecException TooLarge(string fileName, long bytes) =>
        new([new SpecError(fileName, 1, 1, "", $"the file is {bytes:N0} bytes, over the limit of 1 MiB ({MaxFileBytes:N0} bytes)")]);
}

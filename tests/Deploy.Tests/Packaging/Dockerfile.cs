namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>One instruction of a Dockerfile: its keyword (upper case) and its arguments, continuation lines joined.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The arguments split on white space (no quoting: the shipped Dockerfile quotes only shell words in RUN).</summary>
    public string[] Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The value of a <c>--name=value</c> flag, or null.</summary>
    public string? Flag(string name) =>
        Words.TakeWhile(word => word.StartsWith("--", StringComparison.Ordinal))
            .Select(word => word.Split('=', 2))
            .Where(parts => parts[0] == "--" + name)
            .Select(parts => parts[1])
            .FirstOrDefault();

    /// <summary>The words after any leading <c>--flags</c>.</summary>
    public string[] Operands => [.. Words.SkipWhile(word => word.StartsWith("--", StringComparison.Ordinal))];
}

/// <summary>A build stage: its <c>FROM</c> (image and name) and its instructions.</summary>
public sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(instruction => instruction.Keyword == keyword);
}

/// <summary>A Dockerfile parsed into its global <c>ARG</c>s and its stages.</summary>
public sealed record Dockerfile(IReadOnlyDictionary<string, string?> GlobalArgs, IReadOnlyList<DockerStage> Stages)
{
    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        string pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            string full = (pending + line).Trim();
            pending = "";
            if (full.Length == 0) continue;
            string[] parts = full.Split(' ', 2);
            instructions.Add(new DockerInstruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""));
        }

        var globalArgs = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                string[] words = instruction.Words;
                current = [];
                stages.Add(new DockerStage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, current));
            }
            else if (current is null)
            {
                if (instruction.Keyword != "ARG") throw new InvalidDataException($"{path}: {instruction.Keyword} before the first FROM");
                var (name, value) = ParseArg(instruction.Arguments);
                globalArgs[name] = value;
            }
            else
            {
                current.Add(instruction);
            }
        }
        return new Dockerfile(globalArgs, stages);
    }

    public DockerStage Stage(string name) => Stages.Single(stage => stage.Name == name);

    /// <summary>An <c>ARG NAME[=default]</c>'s name and default.</summary>
    public static (string Name, string? Default) ParseArg(string arguments)
    {
        string[] parts = arguments.Split('=', 2);
        return (parts[0], parts.Length > 1 ? parts[1] : null);
    }
}

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>A temp folder of files to change in a test; deleted on dispose.</summary>
public sealed class TempFolder(string root) : IDisposable
{
    public string Root { get; } = root;

    /// <summary>The full path of <paramref name="relativePath"/> in the folder.</summary>
    public string this[string relativePath] => Path.Combine(Root, relativePath);

    /// <summary>Replaces <paramref name="text"/> in the file <paramref name="relativePath"/>; throws when the file lacks it.</summary>
    public void Replace(string relativePath, string text, string replacement)
    {
        string content = File.ReadAllText(this[relativePath]);
        if (!content.Contains(text, StringComparison.Ordinal)) throw new InvalidOperationException($"{relativePath} does not contain {text}");
        File.WriteAllText(this[relativePath], content.Replace(text, replacement, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>The shipped Prometheus files (deploy/prometheus), and copies of them to break in a test.</summary>
public static class DeployFolder
{
    public static string Prometheus => RepositoryFiles.Find("deploy/prometheus");

    public static string[] RuleFiles => Directory.GetFiles(Path.Combine(Prometheus, "rules"), "*.yml").Order(StringComparer.Ordinal).ToArray();

    public static string[] RuleTestFiles => Directory.GetFiles(Path.Combine(Prometheus, "tests"), "*.yml").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Copies deploy/prometheus into a new temp folder (deleted with the returned handle) and returns it.</summary>
    public static TempCopy Copy()
    {
        var copy = new TempCopy(Directory.CreateTempSubdirectory("sweeprunner-deploy-").FullName);
        foreach (var file in Directory.GetFiles(Prometheus, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, System.IO.Path.GetRelativePath(Prometheus, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>A temp folder, deleted on dispose.</summary>
    public sealed class TempCopy(string path) : IDisposable
    {
        public string Path { get; } = path;

        /// <summary>Replaces <paramref name="text"/> in the copied file <paramref name="relativePath"/>; throws when the file lacks it.</summary>
        public void Replace(string relativePath, string text, string replacement)
        {
            string file = System.IO.Path.Combine(Path, relativePath);
            string content = File.ReadAllText(file);
            if (!content.Contains(text, StringComparison.Ordinal)) throw new InvalidOperationException($"{relativePath} does not contain {text}");
            File.WriteAllText(file, content.Replace(text, replacement, StringComparison.Ordinal));
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

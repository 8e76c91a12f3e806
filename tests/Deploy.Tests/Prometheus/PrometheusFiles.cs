using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>The shipped Prometheus files (deploy/prometheus), and copies of them to break in a test.</summary>
public static class PrometheusFiles
{
    public static string Folder => RepositoryFiles.Find("deploy/prometheus");

    public static string[] RuleFiles => Directory.GetFiles(Path.Combine(Folder, "rules"), "*.yml").Order(StringComparer.Ordinal).ToArray();

    public static string[] RuleTestFiles => Directory.GetFiles(Path.Combine(Folder, "tests"), "*.yml").Order(StringComparer.Ordinal).ToArray();

    /// <summary>A copy of deploy/prometheus in a new temp folder, deleted when the returned folder is disposed.</summary>
    public static TempFolder CopyToTemp()
    {
        var copy = new TempFolder(Directory.CreateTempSubdirectory("sweeprunner-deploy-").FullName);
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Root, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }
}

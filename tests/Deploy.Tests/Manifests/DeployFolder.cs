using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>The deployment files under deploy/.</summary>
public static class DeployFolder
{
    public static string Root => RepositoryFiles.Find("deploy");

    /// <summary>The full path of <paramref name="relativePath"/> below deploy/.</summary>
    public static string File(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>Whether <paramref name="path"/> (a full path) is a file or a folder.</summary>
    public static bool Exists(string path) => System.IO.File.Exists(path) || Directory.Exists(path);
}

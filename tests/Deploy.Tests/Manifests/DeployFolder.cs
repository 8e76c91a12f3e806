using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>The deployment files under deploy/, and the files another branch of the same release ships.</summary>
public static class DeployFolder
{
    public static string Root => RepositoryFiles.Find("deploy");

    public static string Repository => Path.GetDirectoryName(Root)!;

    /// <summary>The full path of <paramref name="relativePath"/> below deploy/.</summary>
    public static string File(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>
    /// Files the deployment names that other branches of this release add (the image's Dockerfile, the runtime role's
    /// grants). Delete this list once they are merged: until then a missing one is not counted against the manifests.
    /// </summary>
    public static readonly IReadOnlyList<string> FilesOfUnmergedBranches = ["deploy/docker/Dockerfile"];

    /// <summary>Whether <paramref name="path"/> (a full path) exists, or is one of <see cref="FilesOfUnmergedBranches"/>.</summary>
    public static bool ExistsOrIsPending(string path) =>
        System.IO.File.Exists(path) || Directory.Exists(path)
        || FilesOfUnmergedBranches.Any(pending => Path.GetFullPath(Path.Combine(Repository, pending)) == path);
}

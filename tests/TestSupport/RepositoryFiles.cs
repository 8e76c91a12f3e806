namespace SweepRunner.TestSupport;

/// <summary>Files of the checkout the tests were built from (deploy/, examples/ …), found above the test's output folder.</summary>
public static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> (a file or a folder, '/'-separated, from the repository root).</summary>
    public static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}");
    }
}

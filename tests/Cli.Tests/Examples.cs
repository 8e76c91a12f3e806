namespace SweepRunner.Cli.Tests;

/// <summary>The examples folder of the checkout these tests were built from.</summary>
public static class Examples
{
    public static string Find(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "examples", name);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"examples/{name} not found above {AppContext.BaseDirectory}");
    }
}

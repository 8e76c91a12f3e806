using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests;

/// <summary>The examples folder of the checkout these tests were built from.</summary>
public static class Examples
{
    public static string Find(string name) => RepositoryFiles.Find($"examples/{name}");
}

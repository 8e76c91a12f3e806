namespace SweepRunner.Web.Tests.Support;

/// <summary>Where the browser tests keep what they make: the folder named by SWEEP_TEST_ARTIFACTS, or TestResults beside the tests.</summary>
public static class TestArtifacts
{
    public const string Variable = "SWEEP_TEST_ARTIFACTS";

    /// <summary>The screenshots folder (created when missing).</summary>
    public static string Screenshots()
    {
        string root = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named
            ? named
            : Path.Combine(AppContext.BaseDirectory, "TestResults");
        return Directory.CreateDirectory(Path.Combine(root, "screenshots")).FullName;
    }
}

using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>Runs the .NET SDK's <c>dotnet</c> the tests themselves run with, on the repository's files.</summary>
public static class DotnetCli
{
    /// <summary>The output of <c>dotnet ARGUMENTS</c>; throws with it when the command fails.</summary>
    public static Task<string> RunAsync(params IEnumerable<string> arguments) => ChildProcess.RunAsync("dotnet", arguments);

    /// <summary>How <c>dotnet ARGUMENTS</c> ended, failures included.</summary>
    public static Task<ChildProcessResult> ExecuteAsync(params IEnumerable<string> arguments) => ChildProcess.ExecuteAsync("dotnet", arguments);
}

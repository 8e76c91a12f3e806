using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>Runs Debian's promtool (apt package prometheus) and returns how it ended, failures included.</summary>
public static class Promtool
{
    public const string Program = "/usr/bin/promtool";

    public static Task<ChildProcessResult> RunAsync(params IEnumerable<string> arguments) => ExecuteAsync(arguments, input: null);

    /// <summary><c>promtool check metrics</c> of <paramref name="exposition"/> (Prometheus' text format), as it reads a scrape piped in.</summary>
    public static Task<ChildProcessResult> CheckMetricsAsync(string exposition) => ExecuteAsync(["check", "metrics"], exposition);

    private static Task<ChildProcessResult> ExecuteAsync(IEnumerable<string> arguments, string? input) =>
        File.Exists(Program)
            ? ChildProcess.ExecuteAsync(Program, arguments, input: input)
            : throw new InvalidOperationException($"promtool not found ({Program}); run scripts/setup.sh, which installs the apt package prometheus");
}

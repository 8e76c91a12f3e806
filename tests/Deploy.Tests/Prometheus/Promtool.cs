using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>Runs Debian's promtool (apt package prometheus) and returns how it ended, failures included.</summary>
public static class Promtool
{
    public const string Program = "/usr/bin/promtool";

    public static Task<ChildProcessResult> RunAsync(params IEnumerable<string> arguments) =>
        File.Exists(Program)
            ? ChildProcess.ExecuteAsync(Program, arguments)
            : throw new InvalidOperationException($"promtool not found ({Program}); run scripts/setup.sh, which installs the apt package prometheus");
}

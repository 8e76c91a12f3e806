namespace SweepRunner.TestSupport;

/// <summary>How a program run for a test ended: its exit code, and its standard output followed by its standard error.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output);

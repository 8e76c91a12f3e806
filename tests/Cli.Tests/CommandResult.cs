namespace SweepRunner.Cli.Tests;

/// <summary>What one in-process <c>sweep</c> invocation produced.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

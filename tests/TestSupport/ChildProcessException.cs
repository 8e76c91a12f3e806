namespace SweepRunner.TestSupport;

/// <summary>A program run for a test exited with a failure; the message has its command line and output.</summary>
public sealed class ChildProcessException(string message) : Exception(message);

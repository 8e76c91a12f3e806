namespace SweepRunner.Cli;

/// <summary>Input that parsed but cannot be used (found only once a checkpoint or the options are combined): exit code 2.</summary>
internal sealed class InputException(string message) : Exception(message);

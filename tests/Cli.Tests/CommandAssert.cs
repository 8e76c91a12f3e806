namespace SweepRunner.Cli.Tests;

/// <summary>Assertions on how a <c>sweep</c> command ended.</summary>
public static class CommandAssert
{
    /// <summary>Exit code 2 with an "error: " message containing <paramref name="expected"/>.</summary>
    public static void BadInput(CommandResult result, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}

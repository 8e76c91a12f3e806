using System.Globalization;

namespace SweepRunner.Bench;

/// <summary>The benchmark's command line.</summary>
internal sealed record UiBenchOptions(int Trials, int Epochs, int Runs, int Seeders, string? Record)
{
    public static UiBenchOptions Parse(string[] args) => new(
        Integer(args, "--trials", 10_000),
        Integer(args, "--epochs", 3),
        Integer(args, "--runs", 5),
        Integer(args, "--seeders", 8),
        Value(args, "--record"));

    private static int Integer(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Value(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

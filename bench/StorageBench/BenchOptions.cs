using System.Globalization;

namespace SweepRunner.Bench;

/// <summary>The benchmark's command line.</summary>
internal sealed record BenchOptions(int Workers, int Trials, int Runs, int StatusTrials, int Samples, string? Only)
{
    public static BenchOptions Parse(string[] args) => new(
        Integer(args, "--workers", 8),
        Integer(args, "--trials", 2000),
        Integer(args, "--runs", 3),
        Integer(args, "--status-trials", 10_000),
        Integer(args, "--samples", 1000),
        Value(args, "--only"));

    public bool Includes(string store) => Only is null || Only == store;

    private static int Integer(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Value(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

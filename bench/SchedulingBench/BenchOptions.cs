using System.Globalization;

namespace SweepRunner.Bench;

/// <summary>The benchmark's command line.</summary>
/// <param name="Trials">Trials of the no-op sweep.</param>
/// <param name="Slots">Training slots, as <c>sweep run --workers</c>.</param>
/// <param name="Runs">No-op sweeps, each in a fresh host and database.</param>
/// <param name="RealTrials">Trials of the real MLP sweep (0: skip it).</param>
/// <param name="TrainLimit">Training images of each real trial; null: all 60,000.</param>
internal sealed record BenchOptions(int Trials, int Slots, int Runs, int RealTrials, int? TrainLimit, string? Only)
{
    public static BenchOptions Parse(string[] args) => new(
        Integer(args, "--trials") ?? 1000,
        Integer(args, "--slots") ?? 2,
        Integer(args, "--runs") ?? 3,
        Integer(args, "--real-trials") ?? 4,
        Integer(args, "--train-limit"),
        Value(args, "--only"));

    /// <summary><c>overhead</c> (the no-op sweep) or <c>training</c> (the real one).</summary>
    public bool Includes(string measurement) => Only is null || Only == measurement;

    private static int? Integer(string[] args, string name) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    private static string? Value(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

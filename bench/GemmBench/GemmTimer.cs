using System.Diagnostics;
using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>
/// libtorch's time for one [M×K]·[K×N] float32 product on the CPU: the median over rounds of the mean time per call,
/// each round long enough (<paramref name="roundSeconds"/>) that the clock's resolution does not matter. Shapes
/// that repeat (the same layer shape in two places) are timed once.
/// </summary>
internal sealed class GemmTimer(int rounds, double roundSeconds)
{
    private readonly Dictionary<(long M, long K, long N), double> measured = [];

    public double Seconds(Gemm gemm)
    {
        var shape = (gemm.M, gemm.K, gemm.N);
        if (!measured.TryGetValue(shape, out double seconds)) measured[shape] = seconds = Measure(gemm);
        return seconds;
    }

    private double Measure(Gemm gemm)
    {
        using var left = randn(gemm.M, gemm.K);
        using var right = randn(gemm.K, gemm.N);
        for (int i = 0; i < 3; i++) left.mm(right).Dispose();

        // Calls per round from one timed call, so that a round lasts about roundSeconds.
        var once = Stopwatch.StartNew();
        left.mm(right).Dispose();
        int calls = Math.Max(1, (int)(roundSeconds / Math.Max(once.Elapsed.TotalSeconds, 1e-7)));

        var perCall = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (int call = 0; call < calls; call++) left.mm(right).Dispose();
            perCall[round] = stopwatch.Elapsed.TotalSeconds / calls;
        }
        Array.Sort(perCall);
        return perCall[rounds / 2];
    }
}

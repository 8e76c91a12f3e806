using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

/// <summary>Sweeps and trials to store in tests.</summary>
public static class Samples
{
    public static NewSweep Sweep(string name = "beta sweep") =>
        new(name, "method: grid\nparameters:\n  beta:\n    values: [1, 2, 4]\n", "grid", "test.total", MetricGoal.Minimize,
            """{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"categorical","values":[1.0,2.0,4.0]}]}""");

    /// <summary>Trial <paramref name="index"/>: a β config with a distinct hash.</summary>
    public static NewTrial Trial(int index) =>
        new(string.Create(CultureInfo.InvariantCulture, $$"""{"beta":{{index}},"model":"mlp"}"""), index.ToString("x64", CultureInfo.InvariantCulture));

    public static IEnumerable<NewTrial> Trials(int count, int first = 1) => Enumerable.Range(first, count).Select(Trial);

    public static FinalMetrics Metrics(double testTotal) => new(testTotal, testTotal - 5, 5, testTotal + 2, 2);
}

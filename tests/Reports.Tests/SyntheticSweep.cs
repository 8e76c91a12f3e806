using System.Globalization;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Reports.Tests;

/// <summary>Report data made up with known numbers, so that ranks, spreads and colours can be checked exactly.</summary>
internal static class SyntheticSweep
{
    public const string Spec = "name: synthetic\nmethod: grid\nparameters:\n  beta:\n    values: [1, 4]\n";

    /// <summary>A finished trial: KL falls with β and reconstruction rises, as in a real β sweep; the seed nudges both.</summary>
    public static ReportTrial Finished(int number, double beta, int seed, string model = "mlp", string loss = "bce", int epochs = 3)
    {
        double kl = (10 / beta) + (0.1 * seed);
        double recon = 140 + (3 * beta) + (0.5 * seed);
        var history = Enumerable.Range(1, epochs)
            .Select(e => new EpochReport(e, Losses(recon + (10.0 / e), kl, beta), Losses(recon + (12.0 / e), kl, beta), 2.0, 1000))
            .ToList();
        var test = history[^1].Test;
        var started = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc).AddMinutes(number);
        return new ReportTrial(Guid.NewGuid(), number, Config(beta, seed, model, loss), "completed",
            test.Total, test.Recon, test.Kl, test.Total - 1, 2, null, null, started, started.AddSeconds(6.5), history);
    }

    /// <summary>A trial that failed in its first epoch (by default, diverged): no metrics at all.</summary>
    public static ReportTrial Failed(int number, double beta, int seed, string reason, string failureClass = "diverged") =>
        new(Guid.NewGuid(), number, Config(beta, seed, "mlp", "bce"), "failed", null, null, null, null, null, failureClass, reason,
            new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 25, 12, 0, 2, DateTimeKind.Utc), []);

    public static ReportTrial Pending(int number, double beta, int seed) =>
        new(Guid.NewGuid(), number, Config(beta, seed, "mlp", "bce"), "pending", null, null, null, null, null, null, null, null, null, []);

    public static SweepReportData Data(IReadOnlyList<ReportTrial> trials, int? best, IReadOnlyList<FigureFile>? figures = null, string name = "synthetic", string goal = "minimize", string metric = "test.total", string spec = Spec) =>
        new(new ReportSweep(Guid.NewGuid(), name, "completed", "grid", metric, goal, spec, new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), null),
            trials, best, figures ?? []);

    /// <summary>A small grey PNG standing in for a stored trial figure.</summary>
    public static FigureFile Figure(string name, int width, int height) =>
        new(name, new GrayImage([.. Enumerable.Range(0, width * height).Select(i => (byte)(i % 251))], width, height).ToPng());

    private static SplitLosses Losses(double recon, double kl, double beta) => new(recon + (beta * kl), recon, kl);

    // Canonical JSON: keys in ordinal order, reals with a fraction.
    private static string Config(double beta, int seed, string model, string loss) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"beta":{{beta:0.0###}},"epochs":3,"loss":"{{loss}}","model":"{{model}}","seed":{{seed}}}""");
}

using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>The metrics a trial reports, by their canonical names, and the W&amp;B/Keras-style names accepted for them.</summary>
public static class MetricNames
{
    public const string TestTotal = "test.total";
    public const string TestRecon = "test.recon";
    public const string TestKl = "test.kl";
    public const string TrainTotal = "train.total";
    public const string TrainRecon = "train.recon";
    public const string TrainKl = "train.kl";
    public const string IwaeNll = "iwae_nll";
    public const string ActiveUnits = "active_units";

    public static IReadOnlyList<string> Canonical { get; } = [TestTotal, TestRecon, TestKl, TrainTotal, TrainRecon, TrainKl, IwaeNll, ActiveUnits];

    /// <summary>Keras' names for the book's fit (<c>loss</c>, <c>val_loss</c>) and W&amp;B's slash-separated panel names.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["loss"] = TrainTotal,
        ["val_loss"] = TestTotal,
        ["test/total"] = TestTotal,
        ["test/recon"] = TestRecon,
        ["test/kl"] = TestKl,
        ["train/total"] = TrainTotal,
        ["train/recon"] = TrainRecon,
        ["train/kl"] = TrainKl,
    };

    // The one map from a metric to what it reads: test losses per epoch and finally, train losses per epoch only,
    // iwae_nll and active_units finally only (active_units ranks by its end-of-run value though the epochs carry it).
    private static readonly Dictionary<string, MetricSource> Sources = new(StringComparer.Ordinal)
    {
        [TestTotal] = new(new EpochLoss(MetricSplit.Test, LossTerm.Total), TrialMetric.TestTotal),
        [TestRecon] = new(new EpochLoss(MetricSplit.Test, LossTerm.Recon), TrialMetric.TestRecon),
        [TestKl] = new(new EpochLoss(MetricSplit.Test, LossTerm.Kl), TrialMetric.TestKl),
        [TrainTotal] = new(new EpochLoss(MetricSplit.Train, LossTerm.Total), null),
        [TrainRecon] = new(new EpochLoss(MetricSplit.Train, LossTerm.Recon), null),
        [TrainKl] = new(new EpochLoss(MetricSplit.Train, LossTerm.Kl), null),
        [IwaeNll] = new(null, TrialMetric.IwaeNll),
        [ActiveUnits] = new(null, TrialMetric.ActiveUnits),
    };

    /// <summary>What the metric <paramref name="canonicalName"/> reads; null for a name that is not canonical.</summary>
    public static MetricSource? SourceOf(string canonicalName) => Sources.GetValueOrDefault(canonicalName);

    /// <summary>
    /// The final-metric column a sweep whose metric is <paramref name="canonicalName"/> picks its best trial by: the
    /// metric's own, or the test loss for a metric only the epochs have.
    /// </summary>
    public static TrialMetric RankingColumnOf(string canonicalName) => SourceOf(canonicalName)?.Final ?? TrialMetric.TestTotal;

    /// <summary>The canonical name of <paramref name="name"/>, or null when it is neither a canonical name nor an alias.</summary>
    public static string? Resolve(string name) =>
        Canonical.Contains(name, StringComparer.Ordinal) ? name : Aliases.GetValueOrDefault(name);
}

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

    /// <summary>The canonical name of <paramref name="name"/>, or null when it is neither a canonical name nor an alias.</summary>
    public static string? Resolve(string name) =>
        Canonical.Contains(name, StringComparer.Ordinal) ? name : Aliases.GetValueOrDefault(name);
}

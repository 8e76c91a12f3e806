using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// What a metric (a canonical <see cref="MetricNames"/> name) reads: a loss term of one split after each epoch, the
/// final metric stored on the trial when it ends, or both.
/// </summary>
public sealed record MetricSource(EpochLoss? Epoch, TrialMetric? Final);

/// <summary>One loss term of one split, as reported after each epoch.</summary>
public readonly record struct EpochLoss(MetricSplit Split, LossTerm Term);

/// <summary>The terms of a split's loss: the negative ELBO (total) and its reconstruction and KL parts.</summary>
public enum LossTerm
{
    Total,
    Recon,
    Kl,
}

public static class LossTermExtensions
{
    /// <summary>The value of <paramref name="term"/> among a split's three losses.</summary>
    public static double Pick(this LossTerm term, double total, double recon, double kl) => term switch
    {
        LossTerm.Total => total,
        LossTerm.Recon => recon,
        LossTerm.Kl => kl,
        _ => throw new ArgumentOutOfRangeException(nameof(term), term, "unknown loss term"),
    };
}

using SweepRunner.Common;

namespace SweepRunner.Storage.Records;

/// <summary>A row of <c>epoch_metrics</c>: one split's losses after one epoch of a trial (unique per trial, epoch and split).</summary>
public sealed class EpochMetricRecord
{
    public Guid TrialId { get; set; }

    public int Epoch { get; set; }

    public MetricSplit Split { get; set; }

    public double Recon { get; set; }

    public double Kl { get; set; }

    /// <summary>The negative ELBO, recon + β·KL.</summary>
    public double Total { get; set; }

    public double Seconds { get; set; }

    public double SamplesPerSecond { get; set; }

    /// <summary>
    /// The mean KL of each latent dimension over the split, in dimension order; the trainer measures it on the test
    /// split only, so null on train rows (and on rows stored before it was recorded).
    /// </summary>
    public double[]? KlPerDimension { get; set; }

    /// <summary>How many latent dimensions are active units (Var_x E_q[z_d|x] above 0.01); null where <see cref="KlPerDimension"/> is.</summary>
    public int? ActiveUnits { get; set; }

    public DateTime RecordedAt { get; set; }
}

namespace SweepRunner.Storage;

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

    public DateTime RecordedAt { get; set; }
}

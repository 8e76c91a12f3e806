using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Metrics;

/// <summary>
/// Every trial's latest epoch as gauges (meter <see cref="MeterName"/>): losses per split, KL per latent dimension,
/// active units, epoch, throughput, and the IWAE NLL once completed. Observable gauges read the latest report at each
/// scrape; an ended trial's series stay for <see cref="CoordinatorOptions.FinishedSeriesRetention"/> and then go, so
/// a long sweep does not keep a series per trial forever.
/// </summary>
public sealed class TrialSeries
{
    public const string MeterName = "SweepRunner.Trials";

    /// <summary>Every instrument's name starts with this: the view that sizes their series limit matches on it.</summary>
    public const string InstrumentPrefix = "sweeprunner_trial_";

    /// <summary>The one instrument with a series per latent dimension.</summary>
    public const string LatentKlName = InstrumentPrefix + "latent_kl";

    private static readonly KeyValuePair<string, object?> Train = new("split", MetricSplit.Train.LowerName());
    private static readonly KeyValuePair<string, object?> Test = new("split", MetricSplit.Test.LowerName());

    private readonly ConcurrentDictionary<Guid, TrialSample> trials = new();
    private readonly TimeProvider clock;
    private readonly TimeSpan retention;

    public TrialSeries(IMeterFactory meters, IOptions<CoordinatorOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        this.clock = clock;
        retention = options.Value.FinishedSeriesRetention;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(InstrumentPrefix + "total_loss", () => BothSplits(losses => losses.Total),
            description: "Negative ELBO per sample (reconstruction + beta * KL) at the trial's last epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "reconstruction_loss", () => BothSplits(losses => losses.Recon),
            description: "Reconstruction loss per sample (BCE or MSE summed over pixels) at the trial's last epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "kl", () => BothSplits(losses => losses.Kl), "nats",
            "KL divergence of the posterior from the prior per sample at the trial's last epoch");
        meter.CreateObservableGauge(LatentKlName, LatentKl, "nats",
            "Test KL of one latent dimension (label dim) at the trial's last epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "active_units", ActiveUnits, "{unit}",
            "Test latent dimensions whose posterior mean varies over the split by more than 0.01, at the trial's last epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "epoch", Epoch, "{epoch}", "The trial's last finished epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "samples_per_second", SamplesPerSecond, "{sample}/s",
            "Training samples per second over the trial's last epoch");
        meter.CreateObservableGauge(InstrumentPrefix + "iwae_nll", IwaeNll, "nats",
            "Importance-weighted estimate of the test negative log-likelihood, once the trial completed");
    }

    /// <summary>Makes <paramref name="result"/> the trial's latest epoch.</summary>
    public void Report(TrialLabels labels, EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(result);
        trials[result.TrialId] = new TrialSample(labels, result);
    }

    /// <summary>The trial ended now (with its IWAE NLL when it completed): its series go after the retention.</summary>
    public void End(Guid trialId, double? iwaeNll = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        while (trials.TryGetValue(trialId, out var sample))
        {
            if (trials.TryUpdate(trialId, sample with { EndedAt = sample.EndedAt ?? now, IwaeNll = iwaeNll ?? sample.IwaeNll }, sample)) return;
        }
    }

    /// <summary>Forgets the trials that ended longer than the retention ago.</summary>
    public void Prune()
    {
        foreach (var (id, sample) in trials)
        {
            if (!IsShown(sample)) trials.TryRemove(KeyValuePair.Create(id, sample));
        }
    }

    private IEnumerable<TrialSample> Shown() => trials.Values.Where(IsShown);

    private bool IsShown(TrialSample sample) => sample.EndedAt is not { } ended || clock.GetUtcNow().UtcDateTime - ended <= retention;

    private IEnumerable<Measurement<double>> BothSplits(Func<EpochLosses, double> value)
    {
        foreach (var sample in Shown())
        {
            yield return new(value(sample.Latest.Train), sample.TrainTags);
            yield return new(value(sample.Latest.Test), sample.TestTags);
        }
    }

    private IEnumerable<Measurement<double>> LatentKl()
    {
        foreach (var sample in Shown())
        {
            if (sample.Latest.TestLatents is not { } latents) continue;
            for (int dim = 0; dim < latents.KlPerDimension.Count; dim++)
                yield return new(latents.KlPerDimension[dim], sample.Labels.Tags(Test, new KeyValuePair<string, object?>("dim", dim.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private IEnumerable<Measurement<long>> ActiveUnits() =>
        Shown().Where(sample => sample.Latest.TestLatents is not null).Select(sample => new Measurement<long>(sample.Latest.TestLatents!.ActiveUnits, sample.TestTags));

    private IEnumerable<Measurement<long>> Epoch() => Shown().Select(sample => new Measurement<long>(sample.Latest.Epoch, sample.TrialTags));

    private IEnumerable<Measurement<double>> SamplesPerSecond() =>
        Shown().Where(sample => sample.Latest.SamplesPerSecond > 0).Select(sample => new Measurement<double>(sample.Latest.SamplesPerSecond, sample.TrainTags));

    private IEnumerable<Measurement<double>> IwaeNll() =>
        Shown().Where(sample => sample.IwaeNll is not null).Select(sample => new Measurement<double>(sample.IwaeNll!.Value, sample.TestTags));

    /// <summary>A trial's latest report, with its tag sets made once rather than at every scrape (<c>with</c> keeps them: change only the other members).</summary>
    private sealed record TrialSample(TrialLabels Labels, EpochResult Latest, DateTime? EndedAt = null, double? IwaeNll = null)
    {
        public KeyValuePair<string, object?>[] TrialTags { get; } = Labels.Tags();

        public KeyValuePair<string, object?>[] TrainTags { get; } = Labels.Tags(Train);

        public KeyValuePair<string, object?>[] TestTags { get; } = Labels.Tags(Test);
    }
}

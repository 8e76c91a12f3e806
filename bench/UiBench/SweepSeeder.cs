using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Bench;

/// <summary>
/// Fills a store with one finished random sweep of many trials, through the store's own APIs, as workers would have:
/// each trial leased, its epochs reported (train and test, KL per dimension on test) and ended with final metrics.
/// </summary>
internal sealed class SweepSeeder(SweepDbContextFactory contexts, UiBenchOptions options)
{
    private const int LatentDim = 8;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    private readonly SweepStore sweeps = new(contexts, TimeProvider.System);
    private readonly TrialLeases leases = new(contexts, TimeProvider.System);
    private readonly EpochMetricStore epochs = new(contexts, TimeProvider.System);

    public async Task<Guid> SeedAsync()
    {
        string yaml = string.Create(CultureInfo.InvariantCulture, $"""
            name: ui-bench
            method: random
            run_cap: {options.Trials}
            epochs: {options.Epochs}
            parameters:
              model:
                values: [mlp, cnn]
              beta:
                distribution: log_uniform_values
                min: 0.1
                max: 10
              lr:
                distribution: log_uniform_values
                min: 0.0001
                max: 0.01
            """);
        var spec = SweepSpecParser.Parse(yaml, "ui-bench.yaml").Spec;
        var sweep = await sweeps.CreateAsync(
            new NewSweep("ui-bench", yaml, "random", "test.total", MetricGoal.Minimize, SweepSpecJson.Write(spec), spec.RunCap),
            Enumerable.Range(0, options.Trials).Select(i => Trial(i, options.Epochs)));
        await Task.WhenAll(Enumerable.Range(1, options.Seeders).Select(i => Task.Run(() => WorkAsync($"bench-{i}", sweep.Id))));
        var running = await sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        await sweeps.TransitionAsync(sweep.Id, running.Version, SweepStatus.Completed);
        return sweep.Id;
    }

    private async Task WorkAsync(string worker, Guid sweepId)
    {
        while (await leases.LeaseNextAsync(worker, LeaseDuration, sweepId) is { } trial)
        {
            var random = new Random(trial.Number);
            double recon = 140 + 30 * random.NextDouble();
            double kl = 5 + 25 * random.NextDouble();
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                double decay = 1 + 0.5 / epoch;
                var klPerDimension = Enumerable.Range(0, LatentDim).Select(d => d < 3 ? kl * decay / 3 : 0.001).ToList();
                await epochs.AppendAsync(trial.Id, trial.LeaseId!.Value, epoch,
                [
                    new SplitMetrics(MetricSplit.Train, recon * decay + 2, kl * decay, (recon + kl) * decay + 2, 1.5, 40_000),
                    new SplitMetrics(MetricSplit.Test, recon * decay, kl * decay, (recon + kl) * decay, 0.3, 90_000, klPerDimension, 3),
                ]);
            }
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(recon + kl, recon, kl, recon + kl - 4, 3)));
        }
    }

    private static NewTrial Trial(int i, int epochs)
    {
        var random = new Random(i);
        string config = string.Create(CultureInfo.InvariantCulture,
            $$"""{"beta":{{Math.Round(0.1 * Math.Pow(100, random.NextDouble()), 4)}},"epochs":{{epochs}},"lr":{{Math.Round(0.0001 * Math.Pow(100, random.NextDouble()), 6)}},"model":"{{(i % 2 == 0 ? "mlp" : "cnn")}}","seed":{{i}}}""");
        return new NewTrial(config, string.Create(CultureInfo.InvariantCulture, $"{i:x64}"));
    }
}

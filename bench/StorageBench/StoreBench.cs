using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Bench;

/// <summary>The two measurements on one store, printed as rows of a Markdown table.</summary>
internal sealed class StoreBench
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    private readonly string name;
    private readonly StorageConnection connection;
    private readonly BenchOptions options;
    private readonly SweepDbContextFactory contexts;
    private readonly SweepStore sweeps;
    private readonly TrialStore trials;
    private readonly TrialLeases leases;

    public StoreBench(string name, StorageConnection connection, BenchOptions options)
    {
        this.name = name;
        this.connection = connection;
        this.options = options;
        contexts = new SweepDbContextFactory(connection);
        sweeps = new SweepStore(contexts, TimeProvider.System);
        trials = new TrialStore(contexts, TimeProvider.System);
        leases = new TrialLeases(contexts, TimeProvider.System);
    }

    public async Task RunAsync()
    {
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        await MeasureThroughputAsync();
        await MeasureStatusAsync();
    }

    /// <summary>Workers lease and complete every trial of a fresh sweep as fast as they can; trials per second, per run.</summary>
    private async Task MeasureThroughputAsync()
    {
        var rates = new List<double>();
        var leaseTimes = new List<double>();
        var endTimes = new List<double>();
        for (int run = 0; run < options.Runs; run++)
        {
            var sweep = await sweeps.CreateAsync(SweepSpec($"throughput {run}"), TrialSpecs(options.Trials, run));
            var watch = Stopwatch.StartNew();
            var workers = await Task.WhenAll(Enumerable.Range(1, options.Workers).Select(i => Task.Run(() => WorkAsync($"worker-{i}", sweep.Id))));
            watch.Stop();
            int done = workers.Sum(w => w.Leases.Count);
            if (done != options.Trials) throw new InvalidOperationException($"{done} trials were leased, expected {options.Trials}");
            rates.Add(done / watch.Elapsed.TotalSeconds);
            leaseTimes.AddRange(workers.SelectMany(w => w.Leases));
            endTimes.AddRange(workers.SelectMany(w => w.Ends));
        }
        rates.Sort();
        Row($"lease+complete, {options.Workers} workers", $"**{Median(rates):F0} trials/s** (runs: {string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})");
        Row("one lease (p50 / p99)", Latency(leaseTimes));
        Row("one completion (p50 / p99)", Latency(endTimes));
    }

    private async Task<(List<double> Leases, List<double> Ends)> WorkAsync(string worker, Guid sweepId)
    {
        var leaseTimes = new List<double>();
        var endTimes = new List<double>();
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            var trial = await leases.LeaseNextAsync(worker, LeaseDuration, sweepId);
            if (trial is null) return (leaseTimes, endTimes);
            leaseTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(160 + (trial.Number % 50), 155, 5, 158, 2)));
            endTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>A sweep of 10,000 trials, 20% completed and 1% running: the status, best-trial and first-page reads.</summary>
    private async Task MeasureStatusAsync()
    {
        var sweep = await sweeps.CreateAsync(SweepSpec("status"), TrialSpecs(options.StatusTrials, options.Runs));
        for (int i = 0; i < options.StatusTrials / 5; i++)
        {
            var trial = (await leases.LeaseNextAsync("worker", LeaseDuration, sweep.Id))!;
            await leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(160 + (i % 97), 155, 5, 158, 2)));
        }
        for (int i = 0; i < options.StatusTrials / 100; i++) await leases.LeaseNextAsync("worker", LeaseDuration, sweep.Id);

        if (connection.Provider == StorageProvider.PostgreSql)
        {
            // The steady state: what autovacuum does within a minute of bulk changes (planner statistics, visibility map).
            await using var db = contexts.CreateDbContext();
            await db.Database.ExecuteSqlAsync($"VACUUM ANALYZE trials");
        }

        var status = await sweeps.GetStatusAsync(sweep.Id);
        if (status?.TrialsByStatus.Values.Sum() != options.StatusTrials) throw new InvalidOperationException("the status does not count every trial");
        Row($"status of a sweep of {options.StatusTrials:N0} trials (p50 / p99)", Latency(await SampleAsync(() => sweeps.GetStatusAsync(sweep.Id))));
        Row("best trial of it by test total (p50 / p99)", Latency(await SampleAsync(() => trials.BestAsync(sweep.Id, TrialMetric.TestTotal, MetricGoal.Minimize))));
        Row("first page of 100 running trials (p50 / p99)", Latency(await SampleAsync(() => trials.ListAsync(new TrialQuery(sweep.Id) { Statuses = [TrialStatus.Running] }))));
    }

    private async Task<List<double>> SampleAsync<T>(Func<Task<T>> read)
    {
        for (int i = 0; i < 50; i++) await read();
        var times = new List<double>(options.Samples);
        for (int i = 0; i < options.Samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await read();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }

    private void Row(string measure, string result) => Console.WriteLine($"| {name} | {measure} | {result} |");

    private static string Latency(List<double> milliseconds)
    {
        milliseconds.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{Percentile(milliseconds, 0.50):F2} / {Percentile(milliseconds, 0.99):F2} ms (max {milliseconds[^1]:F1})");
    }

    private static double Median(List<double> sorted) => Percentile(sorted, 0.5);

    // Nearest rank on sorted values.
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static NewSweep SweepSpec(string sweepName) => new(sweepName, "method: grid\n", "grid", "test.total", MetricGoal.Minimize, """{"format":1,"method":"grid","parameters":[]}""");

    // Distinct configs across runs, so every sweep's hashes differ too.
    private static IEnumerable<NewTrial> TrialSpecs(int count, int run) => Enumerable.Range(0, count).Select(i =>
        new NewTrial(string.Create(CultureInfo.InvariantCulture, $$"""{"beta":{{i}},"run":{{run}}}"""), string.Create(CultureInfo.InvariantCulture, $"{run:x8}{i:x56}")));
}

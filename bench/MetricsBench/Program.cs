using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.ServiceDefaults;
using SweepRunner.Storage.Connection;

// What the coordinator's per-trial gauges cost (docs/benchmarks.md, "Metrics"): the memory the series limit sets
// aside, and the time and size of a /metrics scrape with N trials reported. One case per process, so that the
// managed heap is the case's own.
// Usage: metrics-bench [--trials N] [--dims D] [--limit L] [--scrapes S]
int trials = Option("--trials", 1000);
int dims = Option("--dims", 10);
int limit = Option("--limit", new CoordinatorOptions().TrialSeriesLimit);
int scrapes = Option("--scrapes", 7);
// The exporter answers from its last collection for 300 ms: each scrape timed here comes later and collects afresh.
var scrapeCache = TimeSpan.FromMilliseconds(400);

var folder = Directory.CreateTempSubdirectory("sweeprunner-metrics-bench-").FullName;
try
{
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder });
    builder.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = Path.Combine(folder, "unused.db");
    builder.Configuration[$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.TrialSeriesLimit)}"] = limit.ToString(CultureInfo.InvariantCulture);
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.AddServiceDefaults(ownMessages: LogLevel.Warning);
    builder.AddCoordinatorServices();
    await using var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    await http.GetStringAsync(ServiceDefaultsExtensions.MetricsPath);

    long before = Heap();
    var series = app.Services.GetRequiredService<TrialSeries>();
    // The exporter takes up the new instruments, and sets their series aside, at its next collection.
    await Task.Delay(scrapeCache);
    await http.GetStringAsync(ServiceDefaultsExtensions.MetricsPath);
    long empty = Heap();

    var sweep = Guid.NewGuid();
    for (int trial = 1; trial <= trials; trial++)
    {
        var labels = new TrialLabels(sweep, "bench", trial, "mlp", "bce", (trial % 8 + 1).ToString(CultureInfo.InvariantCulture));
        var perDimension = Enumerable.Range(0, dims).Select(dim => 0.5 + dim + (trial * 1e-3)).ToArray();
        series.Report(labels, new EpochResult(Guid.NewGuid(), Guid.Empty, 5, new EpochLosses(150, 140, 10), new EpochLosses(155, 145, 10), new EpochLatents(perDimension, dims), 12000));
    }

    var times = new List<double>();
    string text = "";
    for (int scrape = 0; scrape < scrapes; scrape++)
    {
        await Task.Delay(scrapeCache);
        var watch = Stopwatch.StartNew();
        text = await http.GetStringAsync(ServiceDefaultsExtensions.MetricsPath);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    long full = Heap();
    times.Sort();
    int trialSamples = text.Split('\n').Count(line => line.StartsWith(TrialSeries.InstrumentPrefix, StringComparison.Ordinal));
    bool overflow = text.Contains("otel_metric_overflow", StringComparison.Ordinal);

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"trials={trials} dims={dims} limit={limit} trial_samples={trialSamples} overflow={overflow} " +
        $"set_aside_mib={(empty - before) / 1048576.0:F1} reported_mib={(full - empty) / 1048576.0:F1} " +
        $"scrape_ms_median={times[times.Count / 2]:F1} scrape_ms_min={times[0]:F1} scrape_ms_max={times[^1]:F1} scrape_kib={text.Length / 1024.0:F0}"));
    await app.StopAsync();
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static long Heap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

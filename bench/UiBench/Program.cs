using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using SweepRunner.Bench;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.TestSupport;
using SweepRunner.Web.Tests.Support;

// The dashboard on a sweep of 10,000 finished trials (docs/benchmarks.md, "Dashboard"): a throw-away PostgreSQL
// filled through the store's APIs, a real `sweep coordinator` on it, and the sweep page opened in headless chromium:
// first render (navigation start until loaded, with every chart drawn), a sort and a next page of the trial table.
// Usage: ui-bench [--trials N] [--epochs E] [--runs R] [--seeders S] [--record docs/benchmarks.md]
var options = UiBenchOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;

await using var postgres = await PostgresServer.StartAsync();
string database = await postgres.CreateDatabaseAsync();
var contexts = new SweepDbContextFactory(StorageConnection.Parse(database, Environment.CurrentDirectory));
await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());

var seeding = Stopwatch.StartNew();
var sweepId = await new SweepSeeder(contexts, options).SeedAsync();
Console.WriteLine(string.Create(invariant, $"seeded {options.Trials:N0} trials × {options.Epochs} epochs in {seeding.Elapsed.TotalSeconds:F0} s"));

var api = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
using var coordinator = SweepProcess.Start(FreePort.CoordinatorPorts(), "coordinator", "--urls", api.ToString().TrimEnd('/'), "--postgres", database);
await coordinator.WaitForOutputAsync("coordinator: API on", TimeSpan.FromSeconds(90));
using var playwright = await Playwright.CreateAsync();
await using var browser = await Chromium.LaunchAsync(playwright);
var timings = new SweepPageTimings(browser, api, sweepId);

// One visit first, not counted: the coordinator's first queries and the browser's first start.
await timings.VisitAsync();
var visits = new List<SweepPageVisit>();
for (int run = 0; run < options.Runs; run++) visits.Add(await timings.VisitAsync());
await coordinator.StopAsync(TimeSpan.FromSeconds(30));

string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
string commit = Environment.GetEnvironmentVariable("SWEEP_COMMIT") ?? "unknown";
string report = string.Join('\n',
[
    string.Create(invariant, $"### {DateTime.UtcNow:yyyy-MM-dd}, {cpu} ({Environment.ProcessorCount} cores), commit {commit}"),
    "",
    string.Create(invariant, $"A sweep of {options.Trials:N0} finished trials ({options.Epochs} epochs each) on PostgreSQL; chromium headless, 1400×1000; {options.Runs} runs after one warm-up (median, min–max)."),
    string.Create(invariant, $"The page showed {visits[^1].RowsShown} table rows and {visits[^1].PointsDrawn:N0} points in the rate–distortion plane."),
    "",
    "| measure | median | min–max |",
    "|---|---|---|",
    Row("first render (navigation → loaded, charts drawn)", visits.Select(v => v.FirstRender)),
    Row("sort by test total (click → first row changed)", visits.Select(v => v.Sort)),
    Row("next page (click → first row changed)", visits.Select(v => v.NextPage)),
    "",
]);
Console.WriteLine();
Console.WriteLine(report);
if (options.Record is { } record) await File.AppendAllTextAsync(record, "\n" + report);

string Row(string measure, IEnumerable<double> milliseconds)
{
    var sorted = milliseconds.Order().ToList();
    return string.Create(invariant, $"| {measure} | **{sorted[sorted.Count / 2]:F0} ms** | {sorted[0]:F0}–{sorted[^1]:F0} ms |");
}

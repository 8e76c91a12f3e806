using System.Globalization;
using SweepRunner.Bench;
using SweepRunner.Storage.Connection;
using SweepRunner.TestSupport;

// Measures the sweep store (docs/benchmarks.md, "Storage"): lease+complete throughput of concurrent workers, and the
// latency of reading a sweep of 10,000 trials. PostgreSQL is a durable server (fsync on) this program starts and
// stops itself; SQLite is a file in a temp folder, for comparison.
// Usage: storage-bench [--workers W] [--trials N] [--runs R] [--status-trials N] [--samples S] [--only postgres|sqlite]
var options = BenchOptions.Parse(args);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores; {options.Workers} workers, {options.Trials} trials per run, {options.Runs} runs; status of {options.StatusTrials} trials, {options.Samples} samples"));
Console.WriteLine();
Console.WriteLine("| store | measure | result |");
Console.WriteLine("|---|---|---|");

if (options.Includes("postgres"))
{
    await using var server = await PostgresServer.StartAsync(durable: true);
    var connection = StorageConnection.Parse(await server.CreateDatabaseAsync(), Environment.CurrentDirectory);
    await new StoreBench("PostgreSQL 15", connection, options).RunAsync();
}

if (options.Includes("sqlite"))
{
    var folder = Directory.CreateTempSubdirectory("sweeprunner-bench-").FullName;
    try
    {
        await new StoreBench("SQLite (WAL)", StorageConnection.Parse(Path.Combine(folder, "bench.db"), folder), options).RunAsync();
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

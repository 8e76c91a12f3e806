using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Hosting;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.Worker.Training;

namespace SweepRunner.Bench;

/// <summary>What one sweep run left: its trials as stored, when it was submitted (<see cref="Stopwatch.GetTimestamp"/>), and the wall time to its completion.</summary>
internal sealed record FinishedSweep(IReadOnlyList<TrialRecord> Trials, long SubmittedAt, TimeSpan Wall);

/// <summary>
/// Runs one sweep in <c>sweep run</c>'s host (<see cref="EmbeddedHost"/>): localhost clustering on free ports, a fresh
/// SQLite file migrated at start, the default coordinator and worker options; only the trainer is the bench's.
/// </summary>
internal static class EmbeddedSweep
{
    /// <summary>How often completion is checked: a cheap read, which WAL lets run beside the slots' writes.</summary>
    private static readonly TimeSpan CompletionPoll = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public static async Task<FinishedSweep> RunAsync(string yaml, int slots, ITrialTrainer trainer)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-scheduling-").FullName;
        try
        {
            // As in `sweep run`, API included; on a free port, beside any sweep that has the default one.
            await using var host = EmbeddedHost.Build(new EmbeddedHostSettings(Path.Combine(folder, "sweeprunner.db"), slots)
            {
                WorkerName = "bench",
                Urls = EmbeddedHost.FreeLoopbackUrl,
                ContentRoot = folder,
                Trainer = trainer,
            });
            await host.StartAsync();
            try
            {
                return await RunToCompletionAsync(host.Services, yaml);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<FinishedSweep> RunToCompletionAsync(IServiceProvider services, string yaml)
    {
        var sweeps = services.GetRequiredService<SweepStore>();
        long submitted = Stopwatch.GetTimestamp();
        var started = await services.GetRequiredService<SweepSubmissions>().SubmitAsync(yaml, "scheduling-bench.yaml");
        while ((await sweeps.GetAsync(started.SweepId))!.Status != SweepStatus.Completed)
        {
            if (Stopwatch.GetElapsedTime(submitted) > Timeout) throw new TimeoutException($"the sweep did not complete within {Timeout}");
            await Task.Delay(CompletionPoll);
        }
        var wall = Stopwatch.GetElapsedTime(submitted);

        var store = services.GetRequiredService<TrialStore>();
        var trials = new List<TrialRecord>();
        for (int? after = 0; after is { } next;)
        {
            var page = await store.ListAsync(new TrialQuery(started.SweepId) { AfterNumber = next, Limit = TrialQuery.MaxLimit });
            trials.AddRange(page.Trials);
            after = page.NextAfterNumber;
        }
        return new FinishedSweep(trials, submitted, wall);
    }
}

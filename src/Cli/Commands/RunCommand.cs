using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Coordinator.Api;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Hosting;
using SweepRunner.Reports;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep run FILE</c>: runs a whole sweep in this process (coordinator and workers) with a live table.</summary>
internal sealed class RunCommand
{
    // How often the live table (or the event lines) looks for commits, and reads the store when there were some: an
    // epoch's result shows within 25 ms of being stored. A look is one pragma on an open connection (SqliteCommitWatch).
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(25);

    private readonly IAnsiConsole console;

    private readonly Argument<string> file = new("FILE") { Description = "Sweep file: YAML in W&B's sweep format (docs/sweep-format.md)" };

    private readonly Option<int?> workers = OptionParsing.OptionalInteger("--workers",
        $"Trials trained at once (training slots in this process) [default: one per core, at most the sweep's trials and {RunSlots.MaxDefault}]", "N", 1, 256, "an integer 1-256");

    private readonly Option<string?> database = new("--db")
    {
        Description = $"SQLite file the sweep, its metrics and checkpoints are stored in [default: {StorageConnection.DefaultSqliteFile}]",
        HelpName = "PATH",
    };

    private readonly Option<int?> threads = OptionParsing.OptionalInteger("--threads", "libtorch CPU threads, shared by all slots [default: the cores divided among the slots]", "T", 1, 1024, "an integer 1-1024");

    private readonly Option<string> device = DeviceOption.Create();

    private readonly Option<bool> json = new("--json") { Description = "Print the finished sweep as JSON instead of the live table" };

    private readonly Option<string?> urls = new("--urls")
    {
        Description = $"Where the REST API listens while the sweep runs, ;-separated [default: {CoordinatorApiHostingExtensions.DefaultUrl}, else a free port]; beyond loopback needs a token ($Api__TokenFile or $Api__Token)",
        HelpName = "URL",
    };

    private readonly Option<bool> serve = new("--serve") { Description = "Keep serving the REST API after the sweep ends, until Ctrl-C" };

    private RunCommand(IAnsiConsole console) => this.console = console;

    public static Command Create(IAnsiConsole console) => new RunCommand(console).Build();

    /// <summary>The folder beside the SQLite file <paramref name="db"/> that a run writes a sweep's best checkpoint and report into.</summary>
    public static string SweepFolder(string db, Guid sweepId) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "sweeps", sweepId.ToString());

    private Command Build()
    {
        var command = new Command("run", "Run a sweep in this process: coordinator and N training slots, results in a local SQLite database");
        command.Arguments.Add(file);
        command.Options.Add(workers);
        command.Options.Add(database);
        command.Options.Add(threads);
        command.Options.Add(device);
        command.Options.Add(json);
        command.Options.Add(urls);
        command.Options.Add(serve);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        string path = parseResult.GetRequiredValue(file);
        if (SweepFile.TryRead(path, error) is not { } parsed || !SweepDatasets.TryCheck(path, parsed.Spec, error)) return ExitCodes.BadInput;
        if (!DeviceOption.TryRequire(parseResult.GetRequiredValue(device), error)) return ExitCodes.BadInput;
        if (!SlotsCarryRequiredTags(parsed.Spec, parseResult.GetRequiredValue(device), error)) return ExitCodes.BadInput;
        string db = Path.GetFullPath(parseResult.GetValue(database) ?? StorageConnection.DefaultSqliteFile);
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);

        int slots = parseResult.GetValue(workers) ?? RunSlots.Default(parsed.Spec, Environment.ProcessorCount);
        await using var host = await StartHostAsync(parseResult, parsed.Spec, db, slots, error, cancellationToken);
        if (host is null) return ExitCodes.BadInput;
        try
        {
            var started = await host.Services.GetRequiredService<SweepSubmissions>().SubmitAsync(await File.ReadAllTextAsync(path, cancellationToken), path, cancellationToken);
            // Once the sweep is there to be asked about, before the table: the URLs stay on the screen above it (--json: in the document).
            string api = host.Urls.First();
            if (!parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine($"API: {api}");
                console.Profile.Out.Writer.WriteLine($"Dashboard: {api}/");
            }
            var progress = await WatchAsync(host.Services, started.SweepId, parseResult.GetValue(json), cancellationToken);
            int exitCode = await ReportAsync(host.Services, progress, db, parseResult.GetValue(json), api);
            if (parseResult.GetValue(serve)) await ServeAsync(api, parseResult.GetValue(json), cancellationToken);
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("error: cancelled; trials that were running keep their last checkpoint in " + db);
            return ExitCodes.Cancelled;
        }
        catch (SweepSpecException ex)
        {
            foreach (var specError in ex.Errors) await error.WriteLineAsync($"error: {specError}");
            return ExitCodes.BadInput;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// False after writing why (exit code 2) when some trial of the sweep requires a tag this run's slots lack: they
    /// carry only their device's, and a trial no slot may take would keep the run waiting for ever.
    /// </summary>
    private static bool SlotsCarryRequiredTags(SweepSpec spec, string device, TextWriter error)
    {
        string carried = TrainingDevice.TagOf(device);
        var missing = spec.AllRequiredTags.Where(tag => tag != carried).ToList();
        if (missing.Count == 0) return true;
        error.WriteLine($"error: the sweep requires workers tagged {WorkerTags.Describe(missing)}, and sweep run's slots are tagged {carried} (from --device {device}); " +
            "submit it to a coordinator with such workers (sweep worker --tag TAG), or drop the `requires` it cannot meet");
        return false;
    }

    /// <summary>
    /// The embedded host, started; null after writing why to <paramref name="error"/> when the API cannot listen where
    /// <c>--urls</c> says. Without <c>--urls</c> the API takes the default URL unless its port is taken; another
    /// <c>sweep run</c> starting at the same moment may take it between that check and the bind, and then this one
    /// starts again on a free port.
    /// </summary>
    private async Task<WebApplication?> StartHostAsync(ParseResult parseResult, SweepSpec spec, string db, int slots, TextWriter error, CancellationToken cancellationToken)
    {
        string? given = parseResult.GetValue(urls);
        if (BuildHost(parseResult, spec, db, slots, given, error) is not { } host) return null;
        try
        {
            return await StartOrDisposeAsync(host, cancellationToken);
        }
        catch (IOException ex) when (given is null && ex.InnerException is AddressInUseException)
        {
            // Taken since the check: a free port instead, as when it was taken before.
        }
        return await StartOrDisposeAsync(BuildHost(parseResult, spec, db, slots, EmbeddedHost.FreeLoopbackUrl, error)!, cancellationToken);
    }

    private static async Task<WebApplication> StartOrDisposeAsync(WebApplication host, CancellationToken cancellationToken)
    {
        try
        {
            await HostRun.StartAsync(host, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The embedded host; null after writing why to <paramref name="error"/> when the API cannot listen at <paramref name="apiUrls"/>.</summary>
    private WebApplication? BuildHost(ParseResult parseResult, SweepSpec spec, string db, int slots, string? apiUrls, TextWriter error)
    {
        try
        {
            return EmbeddedHost.Build(new EmbeddedHostSettings(db, slots)
            {
                Threads = parseResult.GetValue(threads),
                MaxPackedTrials = RunSlots.PackedGroupSize(spec, slots),
                Device = parseResult.GetRequiredValue(device),
                Urls = apiUrls,
                Verbose = VerboseOption.IsSet(parseResult),
            });
        }
        catch (ApiConfigurationException ex)
        {
            error.WriteLine($"error: --urls: {ex.Message}");
            return null;
        }
    }

    /// <summary>Keeps the API up after the sweep has ended, until Ctrl-C; the host stops after.</summary>
    private async Task ServeAsync(string api, bool quiet, CancellationToken cancellationToken)
    {
        if (!quiet) console.Profile.Out.Writer.WriteLine($"serving {api} until Ctrl-C");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop: the sweep has ended, so this is the normal end of --serve.
        }
    }

    private async Task<SweepProgress> WatchAsync(IServiceProvider services, Guid sweepId, bool quiet, CancellationToken cancellationToken)
    {
        using var commits = SqliteCommitWatch.Open(services.GetRequiredService<SweepDbContextFactory>().Connection);
        var feed = new StoredSweepFeed(services.GetRequiredService<SweepStore>(), services.GetRequiredService<TrialStore>(), services.GetRequiredService<EpochMetricStore>(), commits, sweepId);
        return await SweepFollower.FollowAsync(console, feed, RefreshInterval, quiet, cancellationToken);
    }

    /// <summary>
    /// Writes the best trial's checkpoint and the sweep's HTML report beside the database and reports; exit 0 only
    /// when every trial completed (or was stopped early).
    /// </summary>
    private async Task<int> ReportAsync(IServiceProvider services, SweepProgress progress, string db, bool asJson, string api)
    {
        var sweep = progress.Sweep;
        string sweepFolder = SweepFolder(db, sweep.Id);
        var best = await services.GetRequiredService<TrialStore>().BestAsync(sweep.Id, RankingMetric.OfSweep(sweep), sweep.MetricGoal);
        string? bestCheckpoint = null;
        if (best is not null && await services.GetRequiredService<CheckpointStore>().GetAsync(best.Id) is { } checkpoint)
        {
            bestCheckpoint = Path.Combine(sweepFolder, $"trial-{best.Number}", "checkpoint");
            Directory.CreateDirectory(Path.GetDirectoryName(bestCheckpoint)!);
            await File.WriteAllBytesAsync(bestCheckpoint, checkpoint.Bytes);
        }
        var reportData = await StoredSweepReport.From(services).ReadAsync(sweep.Id, CancellationToken.None);
        string report = SweepReport.Write(reportData, Path.Combine(sweepFolder, "report"))[0];

        if (asJson)
        {
            console.Profile.Out.Writer.WriteLine(progress.ToJsonString(best, bestCheckpoint, report, api));
        }
        else
        {
            if (best is not null) console.MarkupLineInterpolated($"best trial: {best.Number} ({SweepProgress.DescribeConfig(best)}), test loss {best.TestTotal:F2}");
            // Plain lines: a path wrapped at the terminal's width could not be copied.
            if (bestCheckpoint is not null) console.Profile.Out.Writer.WriteLine($"checkpoint: {bestCheckpoint}");
            console.Profile.Out.Writer.WriteLine($"report: {report}");
        }
        bool allDone = sweep.Status == SweepStatus.Completed && progress.Trials.All(row => row.Record.Status is TrialStatus.Completed or TrialStatus.Stopped);
        return allDone ? ExitCodes.Ok : ExitCodes.Failure;
    }
}

using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using SweepRunner.Common;
using SweepRunner.ServiceDefaults;
using SweepRunner.Worker;
using SweepRunner.Worker.Telemetry;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep worker</c>: trains the coordinator's trials in N slots until stopped. Its PostgreSQL comes from
/// <c>ConnectionStrings__SweepRunner</c>, <c>--postgres-file</c> or <c>--postgres</c> (<see cref="PostgresOptions"/>).
/// </summary>
internal static class WorkerCommand
{
    private const string MetricsPortVariable = "Worker__MetricsPort";
    private const string TagsVariable = "Worker__Tags";

    public static Command Create(IAnsiConsole console)
    {
        var postgres = new PostgresOptions("The coordinator's PostgreSQL (Host=…;Database=…): its cluster membership, trials, metrics and checkpoints [default: $ConnectionStrings__SweepRunner]");
        var slots = OptionParsing.PositiveInteger("--slots", "Trials trained at once, each on its own thread", 1);
        var threads = OptionParsing.OptionalInteger("--threads", "libtorch CPU threads, shared by all slots [default: the cores divided among the slots]", "T", 1, 1024, "an integer 1-1024");
        var device = DeviceOption.Create();
        var metricsPort = new Option<string>("--metrics-port")
        {
            Description = $"Port of this worker's metrics and health endpoint on loopback (Worker__MetricsHost to change): 0 picks a free one, {MetricsPort.Off} serves none [env: Worker__MetricsPort]",
            HelpName = "PORT",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(MetricsPortVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : MetricsPort.Default.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var tags = new Option<string[]>("--tag")
        {
            Description = $"A tag of this worker (repeatable, or ,-separated in {TagsVariable}): it trains only trials whose required tags (a sweep's `requires`) it carries [default: the device's: cpu, or gpu for cuda]",
            HelpName = "TAG",
            DefaultValueFactory = _ => [.. WorkerOptions.ParseTags(Environment.GetEnvironmentVariable(TagsVariable))],
        };
        var name = new Option<string?>("--name") { Description = "How this worker is named in trials [default: HOST-PID]; slots add /slot-N", HelpName = "NAME" };
        var noMigrate = NoMigrateOption.Create();
        var command = new Command("worker", "Run a worker: join the coordinator's cluster and train trials until stopped");
        postgres.AddTo(command);
        command.Options.Add(slots);
        command.Options.Add(threads);
        command.Options.Add(device);
        command.Options.Add(tags);
        command.Options.Add(name);
        command.Options.Add(metricsPort);
        command.Options.Add(noMigrate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (!DeviceOption.TryRequire(parseResult.GetRequiredValue(device), error)) return ExitCodes.BadInput;
            string tagSource = parseResult.GetResult(tags) is { Implicit: false } ? "--tag" : TagsVariable;
            var given = parseResult.GetRequiredValue(tags);
            if (given.FirstOrDefault(tag => !WorkerTags.IsValid(tag)) is { } badTag)
            {
                await error.WriteLineAsync($"error: {tagSource}: `{badTag}` is not a tag; expected {WorkerTags.Expected}");
                return ExitCodes.BadInput;
            }
            if (WorkerTags.Normalize(given).Count is > WorkerTags.MaxPerWorker and var count)
            {
                await error.WriteLineAsync($"error: {tagSource}: {count} tags; a worker carries at most {WorkerTags.MaxPerWorker}");
                return ExitCodes.BadInput;
            }
            int? port;
            try
            {
                port = MetricsPort.Parse(parseResult.GetRequiredValue(metricsPort));
            }
            catch (FormatException ex)
            {
                await error.WriteLineAsync($"error: --metrics-port: {ex.Message}");
                return ExitCodes.BadInput;
            }
            bool verbose = VerboseOption.IsSet(parseResult);
            using var logging = LoggerFactory.Create(builder => builder.AddTerminalLogging(verbose));
            try
            {
                string? connection = postgres.Resolve(parseResult);
                if (connection is null && Environment.GetEnvironmentVariable(PostgresOptions.EnvironmentVariable) is not { Length: > 0 })
                    throw new InputException($"a worker needs the coordinator's PostgreSQL: set {PostgresOptions.EnvironmentVariable} or give --postgres-file FILE (or --postgres CONN)");
                var settings = new Dictionary<string, string?>();
                NoMigrateOption.Apply(parseResult, noMigrate, settings);
                using var host = await new WorkerStartup(logging.CreateLogger<WorkerStartup>()).StartAsync(
                    () => WorkerHost.Build(
                        connection, parseResult.GetValue(slots), parseResult.GetValue(threads), parseResult.GetRequiredValue(device), given, parseResult.GetValue(name), port, verbose, settings),
                    cancellationToken);
                var carried = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.EffectiveTags;
                console.Profile.Out.Writer.WriteLine($"worker: {parseResult.GetValue(slots)} slots tagged {string.Join(", ", carried)} joined the cluster; Ctrl-C stops it (running trials resume elsewhere from their checkpoint)");
                if (host is WebApplication endpoint) console.Profile.Out.Writer.WriteLine($"worker: metrics on {endpoint.Urls.First()}{ServiceDefaultsExtensions.MetricsPath}");
                bool stoppedByItself = await HostRun.WaitForStopAsync(host, cancellationToken);
                // Asked to stop or not, the slots drop their trials between batches; their leases expire and the trials resume elsewhere.
                await host.StopAsync(CancellationToken.None);
                if (!stoppedByItself) return ExitCodes.Ok;
                await error.WriteLineAsync("error: the worker stopped by itself (see the lines above); its trials resume elsewhere from their checkpoints");
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (HostFailure.Classify(ex) is { } failure)
            {
                await error.WriteLineAsync($"error: {failure.Message}");
                return failure.ExitCode;
            }
        });
        return command;
    }
}

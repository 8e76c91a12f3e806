using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Resilience;

namespace SweepRunner.Storage.Schema;

/// <summary>
/// Runs the schema step when a host starts, before any hosted service (the Orleans silo among them) starts. A
/// PostgreSQL server that does not answer yet (a coordinator or worker started before it, or during its restart) is
/// waited for with an exponential backoff with jitter (1 s doubling to 30 s), one line per attempt, until it answers or
/// the host is stopped; a server that refuses (login, no such database) fails the start at once.
/// </summary>
/// <remarks>
/// A host told not to migrate (<see cref="SchemaOptions.Migrate"/> false) applies nothing: while the schema is behind
/// this build it waits for the deployment's <c>sweep db migrate</c> (1 s doubling to <see cref="MaxSchemaDelay"/>, one
/// line per check), so that the step may run beside it, and starts once the schema is there.
/// </remarks>
internal sealed partial class SchemaMigrationService(SchemaMigrator migrator, SchemaOptions options, SchemaReadiness readiness, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two looks at a schema that is behind: a migration takes seconds, not minutes.</summary>
    public static readonly TimeSpan MaxSchemaDelay = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline untilReachable = OutageBackoff.Pipeline(
        FirstDelay,
        MaxDelay,
        ex => ex is StorageUnavailableException { MayComeUp: true },
        (_, delay, ex) => LogWaiting(logger, ((StorageUnavailableException)ex).Connection.Description, ((StorageUnavailableException)ex).Reason, delay.TotalSeconds));

    private readonly ResiliencePipeline untilMigrated = OutageBackoff.Pipeline(
        FirstDelay,
        MaxSchemaDelay,
        ex => ex is SchemaBehindException,
        (_, delay, ex) => LogSchemaBehind(logger, ((SchemaBehindException)ex).Pending.Count, migrator.Connection.Description, delay.TotalSeconds));

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!options.Migrate)
        {
            await untilMigrated.ExecuteAsync(async token => await untilReachable.ExecuteAsync(RequireUpToDateAsync, token), cancellationToken);
            LogUpToDate(migrator.Connection.Description);
        }
        else
        {
            var report = await untilReachable.ExecuteAsync(async token => await migrator.MigrateAsync(options, token), cancellationToken);
            if (report.UpToDate) LogUpToDate(report.Database);
            else LogApplied(report.Database, report.AppliedMigrations, report.AppliedOrleansScripts);
        }
        readiness.MarkDone();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask RequireUpToDateAsync(CancellationToken cancellationToken)
    {
        var pending = await migrator.PendingAsync(options, cancellationToken);
        if (pending.Count > 0) throw new SchemaBehindException(pending);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} not reachable ({Reason}); trying again in {DelaySeconds:F1} s")]
    private static partial void LogWaiting(ILogger logger, string database, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "waiting for the sweep store's schema: {Pending} migrations pending in the {Database}; run `sweep db migrate --orleans-clustering` (this host does not migrate: --no-migrate, Storage__Migrate=false); looking again in {DelaySeconds:F1} s")]
    private static partial void LogSchemaBehind(ILogger logger, int pending, string database, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database} is up to date")]
    private partial void LogUpToDate(string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database}: applied migrations [{Migrations}], Orleans scripts [{OrleansScripts}]")]
    private partial void LogApplied(string database, IReadOnlyList<string> migrations, IReadOnlyList<string> orleansScripts);

    /// <summary>The store's schema is behind this build and this host does not migrate: what is pending, to wait for.</summary>
    private sealed class SchemaBehindException(IReadOnlyList<string> pending) : Exception($"{pending.Count} migrations pending")
    {
        public IReadOnlyList<string> Pending { get; } = pending;
    }
}

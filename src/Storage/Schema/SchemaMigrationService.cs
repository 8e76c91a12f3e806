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
internal sealed partial class SchemaMigrationService(SchemaMigrator migrator, SchemaOptions options, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipeline untilReachable = OutageBackoff.Pipeline(
        FirstDelay,
        MaxDelay,
        ex => ex is StorageUnavailableException { MayComeUp: true },
        (_, delay, ex) => LogWaiting(logger, ((StorageUnavailableException)ex).Connection.Description, ((StorageUnavailableException)ex).Reason, delay.TotalSeconds));

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var report = await untilReachable.ExecuteAsync(async token => await migrator.MigrateAsync(options, token), cancellationToken);
        if (report.UpToDate) LogUpToDate(report.Database);
        else LogApplied(report.Database, report.AppliedMigrations, report.AppliedOrleansScripts);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} not reachable ({Reason}); trying again in {DelaySeconds:F1} s")]
    private static partial void LogWaiting(ILogger logger, string database, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database} is up to date")]
    private partial void LogUpToDate(string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database}: applied migrations [{Migrations}], Orleans scripts [{OrleansScripts}]")]
    private partial void LogApplied(string database, IReadOnlyList<string> migrations, IReadOnlyList<string> orleansScripts);
}

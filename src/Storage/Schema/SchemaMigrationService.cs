using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SweepRunner.Storage.Schema;

/// <summary>Runs the schema step when a host starts, before any hosted service (the Orleans silo among them) starts.</summary>
internal sealed partial class SchemaMigrationService(SchemaMigrator migrator, SchemaOptions options, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var report = await migrator.MigrateAsync(options, cancellationToken);
        if (report.UpToDate) LogUpToDate(report.Database);
        else LogApplied(report.Database, report.AppliedMigrations, report.AppliedOrleansScripts);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database} is up to date")]
    private partial void LogUpToDate(string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of the {Database}: applied migrations [{Migrations}], Orleans scripts [{OrleansScripts}]")]
    private partial void LogApplied(string database, IReadOnlyList<string> migrations, IReadOnlyList<string> orleansScripts);
}

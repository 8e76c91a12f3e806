using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Storage.Resilience;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// Starts a worker host, and while the coordinator's cluster cannot be joined (not started yet, restarting, database
/// down) starts a fresh one again after an exponential backoff with jitter (1 s doubling to 30 s), until stopped. A host
/// whose Orleans client failed to connect cannot be started again, hence a new one per attempt. Once connected, the
/// Orleans client itself reconnects to the gateway, and the slots back off while it cannot.
/// </summary>
internal sealed partial class WorkerStartup(ILogger logger)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long joining may take before the worker says it is still trying. A TLS handshake that cannot succeed (no
    /// certificate, another one) never fails the start: Orleans keeps the connection waiting, so this line is all the
    /// user would see. Counted from the end of the schema step, whose own waits (the store, <c>sweep db migrate</c>)
    /// say what they wait for.
    /// </summary>
    public static readonly TimeSpan SlowJoin = TimeSpan.FromSeconds(15);

    /// <summary>The started host. Configuration errors are not retried (they would fail the same way): they are thrown.</summary>
    public async Task<IHost> StartAsync(Func<IHost> build, CancellationToken cancellationToken)
    {
        var pipeline = OutageBackoff.Pipeline(
            FirstDelay,
            MaxDelay,
            ex => HostFailure.Classify(ex) is null && ex is not OperationCanceledException,
            (attempt, delay, ex) => LogRetrying(attempt, delay.TotalSeconds, ex.Message));
        return await pipeline.ExecuteAsync(async token =>
        {
            var host = build();
            try
            {
                var starting = HostRun.StartAsync(host, token);
                var joining = SlowJoinAsync(host.Services.GetRequiredService<SchemaReadiness>(), token);
                if (await Task.WhenAny(starting, joining) != starting && !token.IsCancellationRequested)
                    LogSlowJoin(SlowJoin.TotalSeconds);
                await starting;
                return host;
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }, cancellationToken);
    }

    private static async Task SlowJoinAsync(SchemaReadiness schema, CancellationToken cancellationToken)
    {
        await schema.Done.WaitAsync(cancellationToken);
        await Task.Delay(SlowJoin, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot join the coordinator's cluster (attempt {Attempt}); trying again in {DelaySeconds:F1} s: {Reason}")]
    private partial void LogRetrying(int attempt, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "still joining the coordinator's cluster after {Seconds:F0} s; a coordinator using TLS admits only workers holding its certificate (Orleans__Tls__CertificateFile, docs/security.md)")]
    private partial void LogSlowJoin(double seconds);
}

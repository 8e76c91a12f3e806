using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SweepRunner.Cli.Commands;

/// <summary>How a long-running command (coordinator, worker) waits: until the user stops it, or its host stops by itself.</summary>
internal static class HostRun
{
    /// <summary>
    /// Waits for Ctrl-C or SIGTERM (<paramref name="stopRequested"/>) or for the host to begin stopping on its own (a
    /// background service that failed stops it); returns true in the second case, which must not pass for success:
    /// a process whose host has stopped would otherwise linger, doing nothing.
    /// </summary>
    public static async Task<bool> WaitForStopAsync(IHost host, CancellationToken stopRequested)
    {
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopRequested, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // One of the two.
        }
        return !stopRequested.IsCancellationRequested;
    }
}

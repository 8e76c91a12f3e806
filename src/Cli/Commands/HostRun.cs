using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Storage;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// How a command's host starts, and how a long-running command (coordinator, worker) waits: until the user stops it, or
/// its host stops by itself.
/// </summary>
internal static class HostRun
{
    /// <summary>
    /// Starts <paramref name="host"/>; when its start fails (a port taken, the store refusing), stops the services that
    /// did start before the exception goes on. A worker's warm-up and slots may be inside libtorch by then, and a
    /// process that exits under them runs libtorch's teardown beside them: glibc has aborted such an exit on a
    /// corrupted heap. Stopping also tells the host that their cancelled tasks are no failure to report.
    /// </summary>
    public static async Task StartAsync(IHost host, CancellationToken cancellationToken)
    {
        // On another core while the host creates its services (the silo's alone take a few tenths of a second), instead
        // of in the schema step after them.
        _ = host.Services.GetService<SweepDbContextFactory>()?.BuildModelInBackground();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception startFailure) when (startFailure is not OutOfMemoryException)
        {
            try
            {
                await host.StopAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The start's failure is the one to report; a half-started host may fail to stop as well.
            }
            throw;
        }
    }

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

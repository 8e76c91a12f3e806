using Spectre.Console;

namespace SweepRunner.Cli.Output;

/// <summary>
/// Follows a sweep until it ends, for <c>sweep run</c> and <c>sweep watch</c> alike: on a terminal the live table
/// (<see cref="SweepRunView"/>), redrawn in place; anywhere else — a pipe, a log file, CI — one line per trial event
/// (<see cref="TrialEventLines"/>), since a redrawn table there is only the same table written over and over; and
/// nothing while the answer is to be JSON.
/// </summary>
internal static class SweepFollower
{
    public static async Task<SweepProgress> FollowAsync(IAnsiConsole console, ISweepFeed feed, TimeSpan interval, bool quiet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(feed);
        var first = await feed.ReadAsync(cancellationToken);
        if (quiet) return await PollAsync(first, _ => Task.CompletedTask);
        if (!Redraws(console))
        {
            var lines = new TrialEventLines(console.Profile.Out.Writer);
            return await PollAsync(first, progress => lines.WriteAsync(progress, feed, cancellationToken));
        }

        var last = first;
        await console.Live(SweepRunView.Render(first)).StartAsync(async live => last = await PollAsync(first, progress =>
        {
            live.UpdateTarget(SweepRunView.Render(progress));
            return Task.CompletedTask;
        }));
        return last;

        async Task<SweepProgress> PollAsync(SweepProgress progress, Func<SweepProgress, Task> show)
        {
            await show(progress);
            while (!progress.Finished)
            {
                await feed.WaitForChangeAsync(interval, cancellationToken);
                progress = await feed.ReadAsync(cancellationToken);
                await show(progress);
            }
            return progress;
        }
    }

    /// <summary>Whether the console can redraw in place: its output is a terminal (not redirected) that takes ANSI cursor movements.</summary>
    public static bool Redraws(IAnsiConsole console) => console.Profile.Out.IsTerminal && console.Profile.Capabilities.Ansi;
}

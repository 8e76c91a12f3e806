using static TorchSharp.torch;

namespace SweepRunner.Models.Tests;

[Collection(ProcessThreadCountGroup.Name)]
public sealed class LibtorchThreadsTests
{
    [Fact]
    public void Work_side_by_side_runs_with_its_own_thread_counts_and_leaves_every_other_threads_alone()
    {
        int callers = get_num_threads();
        var seen = new int[2];

        LibtorchThreads.RunSideBySide([_ => seen[0] = get_num_threads(), _ => seen[1] = get_num_threads()], [1, 3], CancellationToken.None);

        Assert.Equal([1, 3], seen);
        Assert.Equal(callers, get_num_threads());
        // A thread new to libtorch still starts from the process-wide count, which torch.set_num_threads would have changed.
        int fresh = 0;
        var thread = new Thread(() => fresh = get_num_threads());
        thread.Start();
        thread.Join();
        Assert.Equal(callers, fresh);
    }

    [Fact]
    public void A_failure_stops_the_others_and_is_rethrown()
    {
        bool otherCancelled = false;

        var error = Assert.Throws<InvalidOperationException>(() => LibtorchThreads.RunSideBySide(
            [
                _ => throw new InvalidOperationException("lane 0 failed"),
                token =>
                {
                    otherCancelled = token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                    token.ThrowIfCancellationRequested();
                },
            ],
            [1, 1], CancellationToken.None));

        Assert.Equal("lane 0 failed", error.Message);
        Assert.True(otherCancelled);
    }

    [Fact]
    public void The_callers_cancellation_reaches_the_work_and_comes_back_as_cancellation()
    {
        using var cancellation = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => LibtorchThreads.RunSideBySide(
            [
                _ => cancellation.Cancel(),
                token =>
                {
                    token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                    token.ThrowIfCancellationRequested();
                },
            ],
            [1, 1], cancellation.Token));
    }
}

using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace SweepRunner.Models;

/// <summary>
/// libtorch's thread count for the calling thread alone. libtorch keeps it per thread (OpenMP's team size and MKL's
/// thread-local count), but its <c>set_num_threads</c> also sets the process-wide count that it gives every thread it
/// meets for the first time: a short-lived thread that asked for one would leave every later new thread with one.
/// </summary>
internal static unsafe class LibtorchThreads
{
    /// <summary>OpenMP's team size for the calling thread's parallel regions (libtorch's own regions read it).</summary>
    private static readonly delegate* unmanaged<int, void> SetOpenMpThreads =
        (delegate* unmanaged<int, void>)LibtorchExports.Find("omp_set_num_threads");

    /// <summary>MKL's thread count for the calling thread only (C interface); returns the previous one, 0 for none.</summary>
    private static readonly delegate* unmanaged<int, int> SetMklThreads =
        (delegate* unmanaged<int, int>)LibtorchExports.Find("MKL_Set_Num_Threads_Local");

    /// <summary>Whether <see cref="LimitMkl"/> reaches MKL: libtorch's build carries it.</summary>
    public static bool CanLimitMkl => SetMklThreads != null;

    /// <summary>
    /// Makes the calling thread's libtorch operations use <paramref name="threads"/> threads, leaving every other
    /// thread's count and the process-wide one as they are.
    /// </summary>
    public static void UseOnCallingThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (SetOpenMpThreads == null || SetMklThreads == null)
        {
            // Another libtorch build: its own setter, process-wide default and all.
            set_num_threads(threads);
            return;
        }
        // libtorch sets a thread's count from the process-wide one when the thread first asks for it: that comes first,
        // or it would overwrite this one at the thread's first parallel operation.
        _ = get_num_threads();
        SetOpenMpThreads(threads);
        SetMklThreads(threads);
    }

    /// <summary>Limits MKL's own threads for the calling thread (needs <see cref="CanLimitMkl"/>); returns the previous limit, 0 for none.</summary>
    public static int LimitMkl(int threads) => SetMklThreads(threads);

    /// <summary>
    /// Runs each of <paramref name="work"/> on a new thread of its own whose libtorch operations use the matching count of
    /// <paramref name="threads"/>, and returns when all have ended. Each gets a token that is cancelled when
    /// <paramref name="cancellationToken"/> is or when another fails; the first failure is rethrown.
    /// </summary>
    public static void RunSideBySide(IReadOnlyList<Action<CancellationToken>> work, IReadOnlyList<int> threads, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(threads.Count, work.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new Exception?[work.Count];
        var started = new Thread[work.Count];
        for (int i = 0; i < work.Count; i++)
        {
            int index = i;
            started[i] = new Thread(() =>
            {
                try
                {
                    UseOnCallingThread(threads[index]);
                    work[index](stop.Token);
                }
                catch (Exception ex)
                {
                    failures[index] = ex;
                    stop.Cancel();
                }
            })
            { IsBackground = true, Name = $"libtorch side by side {index}" };
            started[i].Start();
        }
        foreach (var thread in started) thread.Join();
        cancellationToken.ThrowIfCancellationRequested();
        // The failure itself, not the cancellations it caused in the others.
        var failure = failures.FirstOrDefault(ex => ex is not null and not OperationCanceledException) ?? failures.FirstOrDefault(ex => ex is not null);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }
}

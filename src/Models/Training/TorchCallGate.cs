namespace SweepRunner.Models.Training;

/// <summary>
/// Keeps forced garbage collections apart from the libtorch work of every training thread in the process.
/// </summary>
/// <remarks>
/// TorchSharp passes a <c>Scalar</c>'s raw handle to libtorch without keeping the object alive, and makes such
/// temporaries itself (the <c>alpha</c> of every tensor addition, the optimizers' coefficients). A collection forced on
/// one slot's thread while another slot is inside such a call finalizes that slot's temporary under libtorch's feet
/// ("Unknown scalar type", "Expected false to be true" from <c>Scalar.h</c>). Batches hold the gate shared; a forced
/// collection holds it alone, and waits for the finalizers it set off before any batch resumes.
/// </remarks>
internal static class TorchCallGate
{
    private static readonly ReaderWriterLockSlim Gate = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Holds the gate shared until disposed: one batch of libtorch work.</summary>
    public static Batch EnterBatch()
    {
        Gate.EnterReadLock();
        return default;
    }

    /// <summary>A collection, full or of generations 0 and 1, with its finalizers run, while no thread is inside a batch.</summary>
    public static void Collect(bool full)
    {
        Gate.EnterWriteLock();
        try
        {
            GC.Collect(full ? GC.MaxGeneration : 1, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }
        finally
        {
            Gate.ExitWriteLock();
        }
    }

    /// <summary>One batch holding the gate; dispose to release it.</summary>
    public readonly struct Batch : IDisposable
    {
        public void Dispose() => Gate.ExitReadLock();
    }
}

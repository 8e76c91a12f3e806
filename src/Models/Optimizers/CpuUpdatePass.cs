using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// One block of an element-wise update whose last step divides by a square root (Adam's and RMSprop's): the block's
/// moment first, then the parameters from that moment's root. Implementations round every operation as libtorch's
/// kernels do, so that a step is bit for bit the step of the optimizer's tensor operations.
/// </summary>
internal unsafe interface IRootedUpdate
{
    /// <summary>
    /// Updates the moments of elements [start, start + length), whose gradients start at <paramref name="gradient"/>, and
    /// returns where the block of the moment whose root comes next starts.
    /// </summary>
    float* UpdateMoments(long start, int length, float* gradient);

    /// <summary>Updates the parameters of elements [start, start + length), given their gradients and the root of their moment.</summary>
    void UpdateValues(long start, int length, float* gradient, float* root);
}

/// <summary>Elements [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) of the flat buffers: one parameter, whose gradient is its own tensor.</summary>
internal readonly unsafe struct GradientSegment(long start, long length, float* gradient)
{
    public long Start { get; } = start;

    public long Length { get; } = length;

    /// <summary>The gradient of element <see cref="Start"/>, the others after it.</summary>
    public float* Gradient { get; } = gradient;
}

/// <summary>
/// Runs an <see cref="IRootedUpdate"/> over flat CPU buffers and each parameter's gradient in one pass: block by block,
/// so that each block's slices of the buffers are still in the core's cache when its second half reads them.
/// libtorch's operations pass over the whole buffers once each (six passes for Adam), which on the MLP's 3.2 MB
/// buffers, and more on a packed group's, is bound by memory.
/// </summary>
/// <remarks>
/// The square root is libtorch's own: on the CPU its <c>sqrt</c> is MKL's vector square root, which is not correctly
/// rounded (on 807,000 second moments of a realistic size it differed from <see cref="MathF.Sqrt"/> at 7), so the pass
/// calls the same MKL function that libtorch exports. MKL would split each call between threads of its own (on a thread
/// of .NET's pool, one per core), forking a team for 16 KiB of work: each part's thread first limits MKL to itself
/// (measured on 2 threads: 2.6–3.1 ms a step of the MLP's Adam without the limit, 0.46–0.49 ms with it, 0.77–0.87 ms
/// for the tensor operations). Where either function is missing (another libtorch build), the optimizers keep their
/// tensor operations.
/// </remarks>
internal static unsafe class CpuUpdatePass
{
    /// <summary>Elements per block: Adam's five slices of 16 KiB (parameters, gradients, two moments, the root) fit a core's L2.</summary>
    private const int BlockLength = 4096;

    /// <summary>Elements below which a second thread costs more than it saves.</summary>
    private const long MinimumPartLength = 1 << 16;

    /// <summary>MKL's single-precision vector square root (Fortran interface: n, a, r by reference).</summary>
    private static readonly delegate* unmanaged<int*, float*, float*, void> VectorSquareRoot =
        (delegate* unmanaged<int*, float*, float*, void>)LibtorchExports.Find("VSSQRT_");

    /// <summary>Whether the pass can update <paramref name="buffer"/>'s elements: a CPU buffer, and libtorch's MKL functions found.</summary>
    public static bool Supports(Tensor buffer) =>
        VectorSquareRoot != null && LibtorchThreads.CanLimitMkl && buffer.device_type == DeviceType.CPU && buffer.dtype == ScalarType.Float32 && buffer.is_contiguous();

    /// <summary>
    /// Applies <paramref name="update"/> to the elements of <paramref name="segments"/> (end to end from 0), split into
    /// contiguous parts over the calling thread's libtorch thread count (what the slot was given), each part block by
    /// block.
    /// </summary>
    public static void Run<TUpdate>(TUpdate update, GradientSegment[] segments) where TUpdate : struct, IRootedUpdate
    {
        long count = segments.Sum(segment => segment.Length);
        int parts = (int)Math.Clamp(count / MinimumPartLength, 1, get_num_threads());
        if (parts == 1)
        {
            RunPart(update, segments, 0, count);
            return;
        }
        // Parts of whole vectors, so that no two threads write into one cache line but at their ends.
        long partLength = (count / parts + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            long start = part * partLength;
            RunPart(update, segments, start, Math.Min(partLength, count - start));
        });
    }

    /// <summary>The first element of a contiguous CPU float buffer.</summary>
    public static float* Start(Tensor buffer) => (float*)TensorMemory.Start(buffer);

    /// <summary>Elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>), block by block within each segment.</summary>
    private static void RunPart<TUpdate>(TUpdate update, GradientSegment[] segments, long start, long length) where TUpdate : struct, IRootedUpdate
    {
        float* root = stackalloc float[BlockLength];
        long end = start + length;
        int previousThreads = LibtorchThreads.LimitMkl(1);
        try
        {
            foreach (var segment in segments)
            {
                long from = Math.Max(start, segment.Start), to = Math.Min(end, segment.Start + segment.Length);
                for (long block = from; block < to; block += BlockLength)
                {
                    int blockLength = (int)Math.Min(BlockLength, to - block);
                    float* gradient = segment.Gradient + (block - segment.Start);
                    float* moment = update.UpdateMoments(block, blockLength, gradient);
                    VectorSquareRoot(&blockLength, moment, root);
                    update.UpdateValues(block, blockLength, gradient, root);
                }
            }
        }
        finally
        {
            LibtorchThreads.LimitMkl(previousThreads);
        }
    }
}

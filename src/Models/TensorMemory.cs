using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SweepRunner.Models;

/// <summary>Raw access to a contiguous CPU tensor's elements, for the managed kernels that read and write them in place.</summary>
internal static unsafe class TensorMemory
{
    /// <summary>The address of <paramref name="contiguous"/>'s first element: a contiguous CPU tensor, which must outlive the address's use.</summary>
    public static nint Start(Tensor contiguous) =>
        (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(contiguous.bytes));
}

using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SweepRunner.Models;

/// <summary>
/// Functions that libtorch's CPU library exports or reaches through its own dependencies (MKL, which it carries, and
/// the OpenMP runtime it links), found by name for the few places that call them directly.
/// </summary>
internal static class LibtorchExports
{
    // TorchSharp has loaded the library by the time any tensor exists, so this finds the process's own copy.
    private static readonly nint Library =
        NativeLibrary.TryLoad("libtorch_cpu.so", typeof(Tensor).Assembly, null, out var library) ? library : 0;

    /// <summary>The address of <paramref name="name"/>, searched in libtorch's CPU library and its dependencies; 0 where absent.</summary>
    public static nint Find(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out var function) ? function : 0;
}

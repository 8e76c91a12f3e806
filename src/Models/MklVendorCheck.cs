using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SweepRunner.Models;

/// <summary>
/// MKL, which libtorch carries for its CPU matrix products and vector maths, chooses its kernels by the CPU's vendor
/// before its features: on a CPU that is not Intel's it runs its AVX2 kernels even where the CPU has AVX-512. On an AMD
/// EPYC of family 26 (Zen 5) libtorch's products at the MLP's shapes ran at 128–159 GFLOP/s that way and at 313–369
/// with MKL's AVX-512 kernels, and the MLP's epoch went from 3.1–3.9 to 1.7–2.3 s (docs/benchmarks.md, "2026-12-05,
/// afternoon: MKL's AVX-512 kernels on AMD's CPUs").
/// </summary>
/// <remarks>
/// MKL asks one function it exports, <c>mkl_serv_intel_cpu_true</c>, whether the CPU is Intel's, and keeps the
/// answer. <see cref="AnswerIntel"/> rewrites that function's first instructions to answer yes before MKL first asks;
/// MKL then chooses among its kernels by the features the CPU reports, as on Intel's CPUs, and honours
/// <c>MKL_ENABLE_INSTRUCTIONS</c> as it does there. It also sets MKL's strict reproducibility, so that a product's
/// result does not depend on the thread count, as it did not with the AVX2 kernels. The products sum in another order
/// than the AVX2 kernels', so a run's losses differ in the last digits from one without the rewrite, and the
/// differences grow over epochs: the MLP's 5-epoch test total (seed 0) is 158.3813 against 158.4445.
/// </remarks>
internal static partial class MklVendorCheck
{
    private const string AskingFunction = "mkl_serv_intel_cpu_true";

    // x86-64 for `mov eax, 1; ret`.
    private static ReadOnlySpan<byte> ReturnOne => [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];

    private const int ProtectRead = 1, ProtectWrite = 2, ProtectExecute = 4;

    // MKL's MKL_CBWR_AUTO | MKL_CBWR_STRICT (mkl_cbwr.h): its own choice of kernels, results independent of the thread count.
    private const int ReproducibleAutomaticBranch = 2 | 0x10000;

    // Once per process, whichever thread builds the first model.
    private static readonly Lazy<bool> Answered = new(TryAnswerIntel);

    /// <summary>
    /// Has MKL take the CPU for Intel's when it has AVX-512 but is another vendor's, once per process, and sets MKL's
    /// strict reproducibility wherever it then runs Intel's kernels; returns whether it rewrote MKL's answer. Left alone:
    /// the answer on Intel's CPUs (yes already) and on CPUs without AVX-512 (not measured); everything in a process
    /// where the user chose MKL's code path through <c>MKL_CBWR</c>, and a libtorch without MKL. Called as each model is built
    /// (<see cref="Vae.VariationalAutoencoder"/>), after libtorch has loaded and before the model's first product: MKL
    /// keeps its first answer. Loading libtorch earlier, with the process, would add 0.5 s to the commands that never
    /// train.
    /// </summary>
    public static bool AnswerIntel() => Answered.Value;

    private static unsafe bool TryAnswerIntel()
    {
        if (!OperatingSystem.IsLinux() || !X86Base.IsSupported || Environment.GetEnvironmentVariable("MKL_CBWR") is not null)
            return false;
        nint function = LibtorchExports.Find(AskingFunction);
        if (function == 0) return false;
        bool intel = IsIntel();
        bool answered = !intel && Avx512F.IsSupported && Overwrite(function, ReturnOne);
        // Intel's kernels split some products' sums between threads (at [128, 784] · [784, 512] on 2 threads), so a
        // result would depend on the thread count: a packed group's lanes, on one thread each, then drifted from their
        // trials' runs alone on 2 threads by 5.6 × 10⁻³ over an epoch. Strict reproducibility keeps MKL's own choice of
        // kernels and sums in one order whatever the count, at the same speed (measured at the MLP's shapes). Set
        // wherever MKL runs Intel's kernels, on Intel's own CPUs too; its kernels for other CPUs gave the same bits on
        // any count.
        if (intel || answered)
        {
            var setReproducibility = (delegate* unmanaged<int, int>)LibtorchExports.Find("mkl_serv_cbwr_set");
            if (setReproducibility != null) setReproducibility(ReproducibleAutomaticBranch);
        }
        return answered;
    }

    /// <summary>What MKL's function answers now: 1 for an Intel CPU (or one taken for it), 0 otherwise; null without MKL.</summary>
    internal static unsafe int? Answer()
    {
        nint function = LibtorchExports.Find(AskingFunction);
        return function == 0 ? null : ((delegate* unmanaged<int>)function)();
    }

    internal static bool IsIntel()
    {
        // CPUID leaf 0 spells the vendor in EBX, EDX, ECX: "Genu" "ineI" "ntel".
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return ebx == 0x756E6547 && edx == 0x49656E69 && ecx == 0x6C65746E;
    }

    /// <summary>
    /// Writes <paramref name="code"/> over the start of the function at <paramref name="function"/>. Its pages are made
    /// writable and executable in one call, so that a system refusing that leaves them as they were, then executable
    /// only again. No thread runs MKL's code yet when this is called.
    /// </summary>
    private static unsafe bool Overwrite(nint function, ReadOnlySpan<byte> code)
    {
        nint pageSize = Environment.SystemPageSize;
        nint first = function & ~(pageSize - 1);
        nint length = ((function + code.Length + pageSize - 1) & ~(pageSize - 1)) - first;
        if (Protect(first, (nuint)length, ProtectRead | ProtectWrite | ProtectExecute) != 0) return false;
        code.CopyTo(new Span<byte>((void*)function, code.Length));
        return Protect(first, (nuint)length, ProtectRead | ProtectExecute) == 0;
    }

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Protect(nint address, nuint length, int protection);
}

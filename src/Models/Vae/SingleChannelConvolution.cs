using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>
/// A 3×3, stride-1 cross-correlation with zero ("same") padding from C channels to one, plus a bias, on the CPU:
/// <c>out[n, 0, y, x] = bias + Σ_{c,a,b} maps[n, c, y+a−1, x+b−1] · weight[c, 0, a, b]</c>, with its gradients,
/// as managed vector loops. This is <c>conv_transpose2d(maps, weight flipped in both spatial axes, bias, padding: 1)</c>,
/// the CNN decoder's output layer on its mirrored maps.
/// </summary>
/// <remarks>
/// <para>
/// libtorch's convolution kernels vectorise over output channels, and this layer has one: its forward and backward
/// ran at about 4 GFLOP/s, 14 ms of an 80 ms training step, whichever of libtorch's forms ran it (transposed or plain
/// convolution, a product then <c>fold</c>; docs/benchmarks.md). On channels-last maps the 3 × C values of a kernel
/// row are contiguous in memory, and so are the weight's once reordered [a, b, c]: each output pixel is three dot
/// products of 3 × C floats, each input gradient a sum of nine weight rows scaled by the gradient around it, and the
/// weight's gradient accumulates the same rows.
/// </para>
/// <para>
/// The batch's images are split into one contiguous range per libtorch thread of the caller. The weight gradient's
/// partial sums are added in range order, so a run is reproducible for a given thread count, as libtorch's are.
/// </para>
/// </remarks>
internal sealed class SingleChannelConvolution : autograd.SingleTensorFunction<SingleChannelConvolution>
{
    private const int Side = 3;
    private const int Taps = Side * Side;
    private const string StateKey = "state";

    public override string Name => nameof(SingleChannelConvolution);

    /// <param name="maps">[N, C, H, W] float32 on the CPU; channels-last strides are read in place, others copied.</param>
    /// <param name="weight">[C, 1, 3, 3], as a <c>ConvTranspose2d(C, 1, 3)</c> holds it.</param>
    /// <param name="bias">[1].</param>
    /// <returns>[N, 1, H, W]; a node of the autograd graph only when gradients are being recorded for an input.</returns>
    public static Tensor Apply(Tensor maps, Tensor weight, Tensor bias)
    {
        if (maps.dim() != 4 || maps.device_type != DeviceType.CPU || maps.dtype != ScalarType.Float32)
            throw new ArgumentException($"expected float32 maps [N, C, H, W] on the CPU, got {maps.dtype} [{string.Join(", ", maps.shape)}] on {maps.device}", nameof(maps));
        if (!weight.shape.SequenceEqual(new[] { maps.shape[1], 1L, Side, Side }))
            throw new ArgumentException($"expected a weight [{maps.shape[1]}, 1, 3, 3], got [{string.Join(", ", weight.shape)}]", nameof(weight));
        if (bias.numel() != 1) throw new ArgumentException($"expected one bias, got {bias.numel()}", nameof(bias));
        if (is_grad_enabled() && (maps.requires_grad || weight.requires_grad || bias.requires_grad)) return apply(maps, weight, bias);
        return Convolve(maps, TapMajor(weight), bias.item<float>(), get_num_threads());
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var maps = (Tensor)vars[0];
        float[] taps = TapMajor((Tensor)vars[1]);
        int threads = get_num_threads();
        // Not ctx.save_for_backward: TorchSharp's node holds what it saved until the node is freed with its graph, at
        // the end of the batch, where libtorch's own nodes let go of theirs as soon as their backward has run. Holding
        // each batch's 12.8 MB maps through the rest of the backward pass and the optimizer step raised the CNN's peak
        // RSS by 90–130 MiB. This reference to the maps, outside any dispose scope, ends with backward instead; a
        // forward pass that no backward follows leaves it to the finalizer.
        ctx.save_data(StateKey, new BackwardState(maps.detach().DetachFromDisposeScope(), taps, threads));
        return Convolve(maps, taps, ((Tensor)vars[2]).item<float>(), threads);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var state = (BackwardState)ctx.get_data(StateKey);
        using var maps = state.TakeMaps();
        var geometry = new Geometry(maps);
        int channels = geometry.Channels;

        using var channelsLast = ChannelsLastData(maps);
        using var gradient = grad_output.contiguous();
        var mapsGradient = empty([geometry.Images, geometry.Height, geometry.Width, channels], ScalarType.Float32);
        nint input = TensorMemory.Start(channelsLast), upstream = TensorMemory.Start(gradient), inputGradient = TensorMemory.Start(mapsGradient);

        // One partial sum of the weight's [a, b, c] gradient, and the bias's last, per range of images.
        var partials = new float[RangeCount(geometry.Images, state.Threads)][];
        ForEachImageRange(geometry.Images, state.Threads, (range, first, end) =>
        {
            BackwardInput(geometry, upstream, state.Taps, inputGradient, first, end);
            partials[range] = BackwardWeight(geometry, input, upstream, first, end);
        });

        var weightGradient = new float[channels * Taps];
        double biasGradient = 0;
        foreach (var partial in partials)
        {
            for (int tap = 0; tap < Taps; tap++)
            {
                for (int c = 0; c < channels; c++) weightGradient[(c * Taps) + tap] += partial[(tap * channels) + c];
            }
            biasGradient += partial[^1];
        }

        return
        [
            mapsGradient.permute(0, 3, 1, 2),
            tensor(weightGradient, [channels, 1, Side, Side]),
            tensor(new[] { (float)biasGradient }, [1]),
        ];
    }

    /// <summary>What backward needs from forward: the maps (which backward frees), the weight as taps, the thread count.</summary>
    private sealed class BackwardState(Tensor maps, float[] taps, int threads)
    {
        private Tensor? maps = maps;

        public float[] Taps { get; } = taps;

        /// <summary>The forward pass's thread count: the weight gradient's partial sums, and so its rounding, follow it.</summary>
        public int Threads { get; } = threads;

        /// <summary>
        /// The maps, once: the caller disposes them. A second backward through the same graph (<c>retain_graph</c>,
        /// which nothing here uses) finds them gone; the exception cannot unwind through libtorch's engine, so it ends
        /// the process with this message rather than return wrong gradients.
        /// </summary>
        public Tensor TakeMaps() =>
            Interlocked.Exchange(ref maps, null)
            ?? throw new InvalidOperationException($"{nameof(SingleChannelConvolution)}: backward ran twice through one graph (retain_graph is not supported)");
    }

    /// <summary>The output [N, 1, H, W] of maps [N, C, H, W] through the taps, over <paramref name="threads"/> ranges of images.</summary>
    private static Tensor Convolve(Tensor maps, float[] taps, float bias, int threads)
    {
        var geometry = new Geometry(maps);
        using var channelsLast = ChannelsLastData(maps);
        var output = empty([geometry.Images, 1, geometry.Height, geometry.Width], ScalarType.Float32);
        nint input = TensorMemory.Start(channelsLast), result = TensorMemory.Start(output);
        ForEachImageRange(geometry.Images, threads, (_, first, end) => Forward(geometry, input, taps, bias, result, first, end));
        return output;
    }

    private readonly record struct Geometry(int Images, int Channels, int Height, int Width)
    {
        public Geometry(Tensor maps) : this((int)maps.shape[0], (int)maps.shape[1], (int)maps.shape[2], (int)maps.shape[3]) { }

        /// <summary>Pixel (y, x) of an image in [N, H, W] data.</summary>
        public long Pixel(int image, int y, int x) => ((((long)image * Height) + y) * Width) + x;

        /// <summary>Where pixel (y, x) of an image starts in [N, H, W, C] data.</summary>
        public long Offset(int image, int y, int x) => Pixel(image, y, x) * Channels;

        /// <summary>The taps b = <c>First</c> … <c>End</c> − 1 of a kernel row that fall inside the map at column x.</summary>
        public (int First, int End) ColumnTaps(int x) => (x == 0 ? 1 : 0, x == Width - 1 ? Side - 1 : Side);
    }

    /// <summary>out = bias + Σ over the 3 × 3 × C neighbourhood of each pixel of images [first, end).</summary>
    private static unsafe void Forward(Geometry g, nint inputData, float[] taps, float bias, nint outputData, int first, int end)
    {
        var input = (float*)inputData;
        var output = (float*)outputData;
        int width = Vector<float>.Count;
        fixed (float* kernel = taps)
        {
            for (int image = first; image < end; image++)
            {
                for (int y = 0; y < g.Height; y++)
                {
                    for (int x = 0; x < g.Width; x++)
                    {
                        var (b0, b1) = g.ColumnTaps(x);
                        int length = (b1 - b0) * g.Channels;
                        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                        float tail = 0;
                        for (int a = 0; a < Side; a++)
                        {
                            int row = y + a - 1;
                            if (row < 0 || row >= g.Height) continue;
                            float* p = input + g.Offset(image, row, x + b0 - 1);
                            float* q = kernel + (((a * Side) + b0) * g.Channels);
                            int i = 0;
                            for (; i + (4 * width) <= length; i += 4 * width)
                            {
                                s0 = Vector.FusedMultiplyAdd(Vector.Load(p + i), Vector.Load(q + i), s0);
                                s1 = Vector.FusedMultiplyAdd(Vector.Load(p + i + width), Vector.Load(q + i + width), s1);
                                s2 = Vector.FusedMultiplyAdd(Vector.Load(p + i + (2 * width)), Vector.Load(q + i + (2 * width)), s2);
                                s3 = Vector.FusedMultiplyAdd(Vector.Load(p + i + (3 * width)), Vector.Load(q + i + (3 * width)), s3);
                            }
                            for (; i + width <= length; i += width) s0 = Vector.FusedMultiplyAdd(Vector.Load(p + i), Vector.Load(q + i), s0);
                            for (; i < length; i++) tail = MathF.FusedMultiplyAdd(p[i], q[i], tail);
                        }
                        float sum = Vector.Sum((s0 + s1) + (s2 + s3)) + tail;
                        output[g.Pixel(image, y, x)] = bias + sum;
                    }
                }
            }
        }
    }

    /// <summary>∂/∂maps: each input pixel's C gradients are the weight rows of the taps that read it, scaled.</summary>
    private static unsafe void BackwardInput(Geometry g, nint upstreamData, float[] taps, nint inputGradientData, int first, int end)
    {
        var upstream = (float*)upstreamData;
        var inputGradient = (float*)inputGradientData;
        float* scales = stackalloc float[Taps];
        int* rows = stackalloc int[Taps];
        fixed (float* kernel = taps)
        {
            for (int image = first; image < end; image++)
            {
                for (int h = 0; h < g.Height; h++)
                {
                    for (int w = 0; w < g.Width; w++)
                    {
                        // Output pixel (y, x) = (h − a + 1, w − b + 1) read this pixel through tap (a, b).
                        int count = 0;
                        for (int a = 0; a < Side; a++)
                        {
                            int y = h - a + 1;
                            if (y < 0 || y >= g.Height) continue;
                            float* gradients = upstream + g.Pixel(image, y, 0);
                            for (int b = 0; b < Side; b++)
                            {
                                int x = w - b + 1;
                                if (x < 0 || x >= g.Width) continue;
                                scales[count] = gradients[x];
                                rows[count++] = ((a * Side) + b) * g.Channels;
                            }
                        }
                        ScaledSum(scales, kernel, rows, count, inputGradient + g.Offset(image, h, w), g.Channels);
                    }
                }
            }
        }
    }

    /// <summary>
    /// ∂/∂weight as [a, b, c] and ∂/∂bias (the last element) over images [first, end): tap (a, b) accumulates, along
    /// each output row, the input row it read scaled by the output pixels' gradients.
    /// </summary>
    private static unsafe float[] BackwardWeight(Geometry g, nint inputData, nint upstreamData, int first, int end)
    {
        var input = (float*)inputData;
        var upstream = (float*)upstreamData;
        var partial = new float[(Taps * g.Channels) + 1];
        double biasSum = 0;
        fixed (float* sums = partial)
        {
            for (int image = first; image < end; image++)
            {
                for (int y = 0; y < g.Height; y++)
                {
                    float* gradients = upstream + (g.Pixel(image, y, 0));
                    for (int x = 0; x < g.Width; x++) biasSum += gradients[x];
                    for (int a = 0; a < Side; a++)
                    {
                        int row = y + a - 1;
                        if (row < 0 || row >= g.Height) continue;
                        for (int b = 0; b < Side; b++)
                        {
                            // Output columns x read input column x + b − 1; those inside the map.
                            int x0 = b == 0 ? 1 : 0, x1 = b == Side - 1 ? g.Width - 1 : g.Width;
                            AddWeightedRows(gradients + x0, input + g.Offset(image, row, x0 + b - 1), x1 - x0,
                                sums + (((a * Side) + b) * g.Channels), g.Channels);
                        }
                    }
                }
            }
        }
        partial[^1] = (float)biasSum;
        return partial;
    }

    /// <summary>target[c] = Σₜ scales[t]·kernel[rows[t] + c] for t &lt; count and c &lt; channels, four vectors of channels at a time.</summary>
    private static unsafe void ScaledSum(float* scales, float* kernel, int* rows, int count, float* target, int channels)
    {
        int width = Vector<float>.Count;
        int c = 0;
        for (; c + (4 * width) <= channels; c += 4 * width)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int t = 0; t < count; t++)
            {
                var scale = new Vector<float>(scales[t]);
                float* source = kernel + rows[t] + c;
                s0 = Vector.FusedMultiplyAdd(scale, Vector.Load(source), s0);
                s1 = Vector.FusedMultiplyAdd(scale, Vector.Load(source + width), s1);
                s2 = Vector.FusedMultiplyAdd(scale, Vector.Load(source + (2 * width)), s2);
                s3 = Vector.FusedMultiplyAdd(scale, Vector.Load(source + (3 * width)), s3);
            }
            Vector.Store(s0, target + c);
            Vector.Store(s1, target + c + width);
            Vector.Store(s2, target + c + (2 * width));
            Vector.Store(s3, target + c + (3 * width));
        }
        for (; c < channels; c++)
        {
            float sum = 0;
            for (int t = 0; t < count; t++) sum = MathF.FusedMultiplyAdd(scales[t], kernel[rows[t] + c], sum);
            target[c] = sum;
        }
    }

    /// <summary>
    /// sums[c] += Σᵢ weights[i]·rows[i·channels + c] for i &lt; count and c &lt; channels: consecutive pixels' channels,
    /// weighted, four vectors of channels at a time.
    /// </summary>
    private static unsafe void AddWeightedRows(float* weights, float* rows, int count, float* sums, int channels)
    {
        int width = Vector<float>.Count;
        int c = 0;
        for (; c + (4 * width) <= channels; c += 4 * width)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < count; i++)
            {
                var weight = new Vector<float>(weights[i]);
                float* source = rows + ((long)i * channels) + c;
                s0 = Vector.FusedMultiplyAdd(weight, Vector.Load(source), s0);
                s1 = Vector.FusedMultiplyAdd(weight, Vector.Load(source + width), s1);
                s2 = Vector.FusedMultiplyAdd(weight, Vector.Load(source + (2 * width)), s2);
                s3 = Vector.FusedMultiplyAdd(weight, Vector.Load(source + (3 * width)), s3);
            }
            Vector.Store(Vector.Load(sums + c) + s0, sums + c);
            Vector.Store(Vector.Load(sums + c + width) + s1, sums + c + width);
            Vector.Store(Vector.Load(sums + c + (2 * width)) + s2, sums + c + (2 * width));
            Vector.Store(Vector.Load(sums + c + (3 * width)) + s3, sums + c + (3 * width));
        }
        for (; c < channels; c++)
        {
            float sum = 0;
            for (int i = 0; i < count; i++) sum = MathF.FusedMultiplyAdd(weights[i], rows[((long)i * channels) + c], sum);
            sums[c] += sum;
        }
    }

    /// <summary>The weight [C, 1, 3, 3] reordered to [a, b, c]: a kernel row's taps for all channels end to end.</summary>
    private static float[] TapMajor(Tensor weight)
    {
        int channels = (int)weight.shape[0];
        using var contiguous = weight.detach().contiguous();
        var values = MemoryMarshal.Cast<byte, float>(contiguous.bytes);
        var taps = new float[Taps * channels];
        for (int c = 0; c < channels; c++)
        {
            for (int tap = 0; tap < Taps; tap++) taps[(tap * channels) + c] = values[(c * Taps) + tap];
        }
        return taps;
    }

    /// <summary>The maps as [N, H, W, C] contiguous: a view when they are channels-last already, else a copy.</summary>
    private static Tensor ChannelsLastData(Tensor maps)
    {
        using var permuted = maps.detach().permute(0, 2, 3, 1);
        return permuted.contiguous();
    }

    private static int RangeCount(int images, int threads) => Math.Clamp(threads, 1, Math.Max(images, 1));

    /// <summary>Runs <paramref name="body"/>(range, first, end) over <see cref="RangeCount"/> contiguous ranges of images, in parallel.</summary>
    private static void ForEachImageRange(int images, int threads, Action<int, int, int> body)
    {
        int ranges = RangeCount(images, threads);
        if (ranges == 1)
        {
            body(0, 0, images);
            return;
        }
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges },
            range => body(range, (int)((long)range * images / ranges), (int)((long)(range + 1) * images / ranges)));
    }
}

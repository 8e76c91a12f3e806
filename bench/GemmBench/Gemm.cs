namespace SweepRunner.Bench;

/// <summary>
/// One matrix product of a training step, [M×K]·[K×N]: a layer's forward pass or one of its two backward products.
/// </summary>
/// <param name="Layer">The layer's parameter prefix, as the model names it (<c>encoderHidden</c>).</param>
/// <param name="Product"><c>forward</c>, <c>grad_input</c> or <c>grad_weight</c>.</param>
internal sealed record Gemm(string Layer, string Product, long M, long K, long N)
{
    /// <summary>Multiply-adds counted as two operations.</summary>
    public double Flops => 2.0 * M * K * N;
}

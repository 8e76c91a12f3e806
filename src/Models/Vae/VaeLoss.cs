using SweepRunner.Contracts.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>
/// The negative ELBO of the book: recon = 784 × mean over pixels of BCE (or MSE), KL = −½ Σ(1 + log σ² − μ² − σ²),
/// loss = recon + β·KL per sample (<see cref="Total(Tensor, Tensor, double)"/>, the one place the objective is written).
/// </summary>
/// <remarks>
/// <para>
/// Numbers enter tensor arithmetic as <see cref="Scalar"/>s held in <c>using</c> variables, here and wherever the
/// trainer and evaluator compute. An implicit conversion (<c>0.5 * t</c>) makes a temporary whose finalizer may run
/// while libtorch still reads it (TorchSharp passes the raw handle without keeping the object alive), which
/// surfaces as "Unknown scalar type" when another thread triggers a collection mid-operation.
/// </para>
/// <para>
/// TorchSharp makes such temporaries itself where a call hides a number: <c>a + b</c> is <c>a.add(b, 1)</c> and
/// <c>t.square()</c> is <c>t.pow(2)</c>. So additions of tensors pass their alpha and squares their exponent as held
/// scalars too (<c>add(b, one)</c>, <c>pow(two)</c>: the same operations). Each hidden one is a small block of native
/// memory that only a collection frees, and a test pass forces none. There such blocks outlived their batch between
/// freed activations, which glibc then could neither merge nor reuse for the next batch's (libtorch asks for
/// 64-byte-aligned blocks, which need a little more than the freed one), so every batch took new memory: a CNN's
/// test pass grew the process by 12–25 MiB a batch, to 1.1–2.0 GiB, in about one run in four (docs/benchmarks.md,
/// "2026-12-04, night: the CNN's peak RSS").
/// </para>
/// </remarks>
public static class VaeLoss
{
    /// <summary>The objective, recon + β·KL, of tensors (what training minimizes).</summary>
    public static Tensor Total(Tensor recon, Tensor kl, double beta)
    {
        using var weight = beta.ToScalar();
        using var one = 1.ToScalar();
        using var weighted = kl.mul(weight);
        return recon.add(weighted, one);
    }

    /// <summary>The objective of packed trials, recon_k + β_k·KL_k, with their βs as a tensor of the terms' shape.</summary>
    public static Tensor Total(Tensor recon, Tensor kl, Tensor beta)
    {
        using var one = 1.ToScalar();
        using var weighted = kl.mul(beta);
        return recon.add(weighted, one);
    }

    /// <summary>The objective, recon + β·KL, of measured means (the total a split reports).</summary>
    public static double Total(double recon, double kl, double beta) => recon + (beta * kl);

    /// <summary>Reconstruction term per sample: logits [B, 784] give shape [B]; packed logits [K, B, 784] give [K, B].</summary>
    public static Tensor ReconstructionPerSample(Tensor logits, Tensor targets, ReconstructionLoss kind)
    {
        using var scope = NewDisposeScope();
        using var two = 2.ToScalar();
        var perPixel = kind switch
        {
            // From logits: log-sum-exp form, finite even where sigmoid(logits) rounds to exactly 0 or 1.
            ReconstructionLoss.Bce => nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None),
            ReconstructionLoss.Mse => (logits.sigmoid() - targets).pow(two),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown reconstruction loss"),
        };
        using var pixels = VariationalAutoencoder.PixelCount.ToScalar();
        return perPixel.mean([-1L]).mul(pixels).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q(z|x) ‖ N(0, I)) per sample and latent dimension, the shape of μ ([B, latent], or [K, B, latent] packed).</summary>
    public static Tensor KlPerDimension(Tensor mean, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar();
        using var two = 2.ToScalar();
        using var minusHalf = (-0.5).ToScalar();
        return (logVar.add(one) - mean.pow(two) - logVar.exp()).mul(minusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q(z|x) ‖ N(0, I)) per sample, shape [B] (packed: [K, B]).</summary>
    public static Tensor KlPerSample(Tensor mean, Tensor logVar)
    {
        using var perDimension = KlPerDimension(mean, logVar);
        return perDimension.sum([-1L]);
    }
}

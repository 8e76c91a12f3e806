using SweepRunner.Contracts.Training;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Training;

/// <summary>
/// Test-time measurements of a VAE, with their own seeded noise, in inference mode: none of autograd's bookkeeping
/// (no_grad still counts tensor versions and tracks views).
/// </summary>
public static class VaeEvaluator
{
    // Rows decoded at once. The CNN decoder's activations take ~0.4 MB a row: 256 rows keep evaluation's
    // transient memory near training's, where 1,000 rows (or k × examples for IWAE) cost gigabytes.
    private const int BatchSize = 256;

    /// <summary>
    /// Per-sample recon, KL and recon + β·KL over the whole split, z sampled once per image, and in the same pass the
    /// split's <see cref="LatentStatistics"/> (closed-form, so they do not depend on the noise).
    /// </summary>
    public static SplitEvaluation Evaluate(VariationalAutoencoder model, TensorSplit data, ReconstructionLoss loss, double beta, ulong seed)
    {
        using var inference = inference_mode();
        using var generator = new Generator(seed);
        model.eval();
        var latents = new LatentMoments(model.LatentDim);
        double recon = 0, kl = 0;
        for (long start = 0; start < data.Count; start += BatchSize)
        {
            using var gate = TorchCallGate.EnterBatch();
            using var scope = NewDisposeScope();
            long count = Math.Min(BatchSize, data.Count - start);
            var (images, labels) = data.Slice(start, count, model.IsConditional);
            var (mean, logVar) = model.Encode(images, labels);
            var z = VariationalAutoencoder.Reparameterize(mean, logVar, generator);
            var logits = model.DecodeLogits(z, labels);
            var klPerDimension = VaeLoss.KlPerDimension(mean, logVar);
            recon += VaeLoss.ReconstructionPerSample(logits, images, loss).sum().item<float>();
            kl += klPerDimension.sum([1L]).sum().item<float>();
            latents.Add(mean, klPerDimension);
        }

        recon /= data.Count;
        kl /= data.Count;
        return new SplitEvaluation(new SplitLosses(VaeLoss.Total(recon, kl, beta), recon, kl), latents.Statistics());
    }

    /// <summary>
    /// The end-of-run analysis: the split's <paramref name="latents"/> (as <see cref="Evaluate"/> measured them for the
    /// model as it is now) and the importance-weighted bound log p(x) ≥ log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x) over the
    /// first <paramref name="iwaeExamples"/> images. The likelihood is Bernoulli for every model so that runs trained
    /// with BCE, MSE or any β compare.
    /// </summary>
    public static LatentAnalysis Analyze(VariationalAutoencoder model, TensorSplit data, LatentStatistics latents, int iwaeSamples, int iwaeExamples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentOutOfRangeException.ThrowIfLessThan(iwaeSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iwaeExamples, 1);
        if (latents.KlPerDimension.Count != model.LatentDim)
            throw new ArgumentException($"latent statistics of {latents.KlPerDimension.Count} dimensions for a model with {model.LatentDim}", nameof(latents));
        using var inference = inference_mode();
        using var generator = new Generator(seed);
        model.eval();
        int examples = (int)Math.Min(iwaeExamples, data.Count);
        double nll = IwaeNll(model, data, iwaeSamples, examples, generator);
        return new LatentAnalysis(latents.KlPerDimension, latents.MeanVariancePerDimension, latents.ActiveUnits, nll, iwaeSamples, examples);
    }

    private static double IwaeNll(VariationalAutoencoder model, TensorSplit data, int samples, int examples, Generator generator)
    {
        // k × examples decoder rows per step, kept near BatchSize for any k.
        int batch = Math.Max(1, BatchSize / samples);
        double logLikelihoodSum = 0;
        using var half = 0.5.ToScalar();
        using var minusHalf = (-0.5).ToScalar();
        using var logSamples = Math.Log(samples).ToScalar();
        using var one = 1.ToScalar();
        using var two = 2.ToScalar();
        for (long start = 0; start < examples; start += batch)
        {
            using var gate = TorchCallGate.EnterBatch();
            using var scope = NewDisposeScope();
            long count = Math.Min(batch, examples - start);
            var (images, labels) = data.Slice(start, count, model.IsConditional);
            var (mean, logVar) = model.Encode(images, labels);
            // On the CPU generator's device, then where the model is (as VariationalAutoencoder.Reparameterize).
            var epsilon = randn([samples, count, model.LatentDim], generator: generator).to(mean.device);
            var z = mean.unsqueeze(0).add(logVar.mul(half).exp().unsqueeze(0).mul(epsilon), one);

            var flatZ = z.reshape(samples * count, model.LatentDim);
            var repeatedLabels = labels?.unsqueeze(0).expand(samples, -1, -1).reshape(samples * count, -1);
            var logits = model.DecodeLogits(flatZ, repeatedLabels).view(samples, count, -1);
            var targets = images.unsqueeze(0).expand(samples, -1, -1);
            var logPxGivenZ = -nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None).sum([2L]);

            // The log(2π) terms of log p(z) and log q(z|x) cancel.
            var logPz = z.pow(two).sum([2L]).mul(minusHalf);
            var logQzGivenX = logVar.unsqueeze(0).add(epsilon.pow(two), one).sum([2L]).mul(minusHalf);
            var logWeights = logPxGivenZ.add(logPz, one) - logQzGivenX;
            var bound = logWeights.logsumexp(0).sub(logSamples);
            logLikelihoodSum += bound.to_type(ScalarType.Float64).sum().item<double>();
        }

        return -logLikelihoodSum / examples;
    }
}

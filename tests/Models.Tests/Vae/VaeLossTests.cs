using SweepRunner.Contracts.Training;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Vae;

public sealed class VaeLossTests
{
    [Fact]
    public void Bce_is_784_times_the_mean_over_pixels()
    {
        using var scope = NewDisposeScope();
        var logits = zeros([2, 784]);            // p = 0.5 everywhere
        var targets = ones([2, 784]);
        var recon = VaeLoss.ReconstructionPerSample(logits, targets, ReconstructionLoss.Bce);
        Assert.Equal(new long[] { 2 }, recon.shape);
        Assert.Equal(784 * Math.Log(2), recon[0].item<float>(), 2);
    }

    [Fact]
    public void Mse_is_784_times_the_mean_squared_error_of_the_sigmoid_output()
    {
        using var scope = NewDisposeScope();
        var logits = zeros([1, 784]);            // p = 0.5
        var targets = ones([1, 784]);
        var recon = VaeLoss.ReconstructionPerSample(logits, targets, ReconstructionLoss.Mse);
        Assert.Equal(784 * 0.25, recon.item<float>(), 3);
    }

    [Fact]
    public void Bce_stays_finite_where_the_sigmoid_saturates_at_0_and_1()
    {
        using var scope = NewDisposeScope();
        // sigmoid(±200) is exactly 1 or 0 in float32; a BCE computed from probabilities would take log(0).
        var logits = tensor(new float[] { 200f, -200f, 200f, -200f }).view(1, 4).repeat(1, 196);
        var right = tensor(new float[] { 1f, 0f, 1f, 0f }).view(1, 4).repeat(1, 196);
        var wrong = 1 - right;

        var good = VaeLoss.ReconstructionPerSample(logits, right, ReconstructionLoss.Bce).item<float>();
        var bad = VaeLoss.ReconstructionPerSample(logits, wrong, ReconstructionLoss.Bce).item<float>();

        Assert.True(float.IsFinite(good) && float.IsFinite(bad));
        Assert.Equal(0f, good, 3);
        Assert.Equal(200f * 784, bad, 0);
    }

    [Fact]
    public void Closed_form_kl_matches_a_monte_carlo_estimate()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var mean = tensor(new float[] { 0.5f, -1.2f, 2.0f }).view(1, 3);
        var logVar = tensor(new float[] { -0.7f, 0.3f, -2.0f }).view(1, 3);
        double closedForm = VaeLoss.KlPerSample(mean, logVar).item<float>();

        // KL(q‖p) = E_q[log q(z) − log p(z)], estimated from 400k samples in double precision.
        const int samples = 400_000;
        var mean64 = mean.to_type(ScalarType.Float64);
        var logVar64 = logVar.to_type(ScalarType.Float64);
        var epsilon = randn([samples, 3], ScalarType.Float64, generator: generator);
        var z = mean64 + (0.5 * logVar64).exp() * epsilon;
        var logQ = (-0.5 * (logVar64 + epsilon.square())).sum([1L]);
        var logP = (-0.5 * z.square()).sum([1L]);
        double monteCarlo = (logQ - logP).mean().item<double>();

        Assert.Equal(closedForm, monteCarlo, 1);
        Assert.True(Math.Abs(closedForm - monteCarlo) < 0.02, $"closed form {closedForm} vs Monte Carlo {monteCarlo}");
    }

    [Fact]
    public void Kl_of_the_prior_itself_is_zero_and_per_dimension_terms_sum_to_the_total()
    {
        using var scope = NewDisposeScope();
        var zero = zeros([4, 2]);
        Assert.Equal(0f, VaeLoss.KlPerSample(zero, zero).abs().max().item<float>());

        var mean = randn([4, 2]);
        var logVar = randn([4, 2]);
        var total = VaeLoss.KlPerSample(mean, logVar);
        var perDimension = VaeLoss.KlPerDimension(mean, logVar).sum([1L]);
        Assert.True(total.allclose(perDimension));
        Assert.True(total.min().item<float>() >= 0);
    }
}

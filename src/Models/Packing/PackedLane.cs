using SweepRunner.Contracts.Training;
using SweepRunner.Models.Optimizers;
using SweepRunner.Models.Training;
using SweepRunner.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// Some trials of a <see cref="PackedVaeTrainer"/>'s group as one <see cref="PackedMlpVae"/>, with their optimizer and
/// the generators of the seed they share: a lane steps on its own, so that lanes can run side by side on threads of
/// their own. Every lane draws the same shuffles and noise, as each of its trials would alone.
/// </summary>
internal sealed class PackedLane : IDisposable
{
    private readonly FlatParameterOptimizer optimizer;
    private readonly Tensor betas;
    // Each trial's weights unpacked, refreshed before they are evaluated or saved.
    private readonly MlpVae[] members;

    /// <param name="configs">The lane's trials, which pack (the trainer checked them).</param>
    /// <param name="first">The index of the lane's first trial in the group.</param>
    public PackedLane(IReadOnlyList<TrainingConfig> configs, int first, Device device)
    {
        First = first;
        members = [.. configs.Select(config =>
        {
            using var initGenerator = new Generator(VaeTrainer.DeriveSeed(config.Seed, 0));
            return (MlpVae)VariationalAutoencoder.Create(config.Model, config.LatentDim, initGenerator);
        })];
        Model = new PackedMlpVae(members);
        // Before the optimizer is created: it holds the parameters that moving replaces.
        Model.to(device);
        foreach (var member in members) member.to(device);
        var shared = configs[0];
        ShuffleGenerator = new Generator(VaeTrainer.DeriveSeed(shared.Seed, 1));
        NoiseGenerator = new Generator(VaeTrainer.DeriveSeed(shared.Seed, 2));
        optimizer = VaeTrainer.CreateOptimizer(shared, [.. Model.parameters()]);
        // float32 like the loss terms: the product each trial's β·KL rounds to in its unpacked run.
        betas = tensor(configs.Select(config => (float)config.Beta).ToArray(), device: device);
    }

    /// <summary>The index of the lane's first trial in the group.</summary>
    public int First { get; }

    /// <summary>The lane's number of trials.</summary>
    public int Count => members.Length;

    public PackedMlpVae Model { get; }

    public Generator ShuffleGenerator { get; }

    public Generator NoiseGenerator { get; }

    /// <summary>
    /// One optimizer step of every trial of the lane on <paramref name="images"/> [B, 784], with the loss
    /// <paramref name="loss"/>; each trial's loss, then each one's mean recon, then each one's mean KL. The step goes
    /// ahead whatever the losses: a diverged trial's non-finite gradient reaches only its own weights.
    /// </summary>
    public float[] Step(Tensor images, ReconstructionLoss loss, EpochProfiler? profiler)
    {
        // Every trial's input is the one batch, expanded, not copied.
        var packedImages = images.expand(Count, -1, -1);
        var (mean, logVar) = Model.Encode(packedImages);
        // The [B, latent] draw each trial's own run makes, on the CPU generator's device (as Reparameterize draws it).
        var drawn = randn([images.shape[0], Model.LatentDim], generator: NoiseGenerator);
        var z = VariationalAutoencoder.Reparameterize(mean, logVar, drawn.to(images.device));
        var logits = Model.DecodeLogits(z);
        var recon = VaeLoss.ReconstructionPerSample(logits, packedImages, loss).mean([1L]);
        var kl = VaeLoss.KlPerSample(mean, logVar).mean([1L]);
        var losses = VaeLoss.Total(recon, kl, betas);

        // One read of all trials' terms, where a run alone reads its loss, recon and KL one by one.
        var measured = stack([losses, recon, kl]).cpu().data<float>().ToArray();
        profiler?.Mark(EpochPhase.Forward);

        optimizer.ClearGradients();
        losses.sum().backward();
        profiler?.Mark(EpochPhase.Backward);
        optimizer.Update();
        profiler?.Mark(EpochPhase.Optimizer);
        return measured;
    }

    /// <summary>The lane's trial <paramref name="member"/> (from 0) alone, with its packed weights as they are now.</summary>
    public MlpVae Member(int member)
    {
        Model.CopyMemberTo(member, members[member]);
        return members[member];
    }

    /// <summary>Copies trial <paramref name="member"/>'s slice of the optimizer's state into <paramref name="target"/>, its own optimizer.</summary>
    public void CopyMemberState(int member, FlatParameterOptimizer target) => target.CopyMemberState(optimizer, member, Count);

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
        foreach (var member in members) member.Dispose();
        betas.Dispose();
        ShuffleGenerator.Dispose();
        NoiseGenerator.Dispose();
    }
}
